import { commitOf, type Store } from '../store/store.ts';
import { missing } from './access.ts';
import type { Package } from './packages.ts';
import { packageResource } from './resources.ts';

/**
 * The configured packages (`PACKAGES_FILE`) with the deletions the integrator made
 * (`DELETE /v1/packages/{id}`), kept in the store: a deleted package is gone from the lists and
 * can order nothing more, while reports and invitations made with it carry on.
 */
export class PackageCatalog {
  constructor(
    private readonly store: Store,
    private readonly packages: Package[],
    /** Packages come from configuration: they exist since the server started with them. */
    private readonly since: string,
  ) {}

  private async deletedAt(slug: string): Promise<string | null> {
    const deleted = (await this.store.getRecord('deleted_packages', slug)) as { deleted_at: string } | undefined;
    return deleted?.deleted_at ?? null;
  }

  async live(): Promise<Package[]> {
    const deleted = await Promise.all(this.packages.map((p) => this.deletedAt(p.slug)));
    return this.packages.filter((_, i) => deleted[i] === null);
  }

  /** A live package by its id (`pkg_<slug>`) or slug; 404 `Package not found` otherwise. */
  async find(idOrSlug: string): Promise<Package> {
    const found = this.packages.find((p) => `pkg_${p.slug}` === idOrSlug || p.slug === idOrSlug);
    if (!found || (await this.deletedAt(found.slug))) throw missing('Package not found');
    return found;
  }

  resource(pkg: Package, deletedAt: string | null = null) {
    return packageResource(pkg, this.since, deletedAt);
  }

  async delete(pkg: Package, at: string) {
    await this.store.commit(commitOf({ records: [{ collection: 'deleted_packages', id: pkg.slug, value: { deleted_at: at } }] }));
    return this.resource(pkg, at);
  }
}
