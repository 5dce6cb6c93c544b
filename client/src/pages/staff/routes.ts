/** The console's places, as URLs under /staff (so that each view can be linked and reloaded). */
export const staffHref = {
  cases: (filter: { queue?: string; status?: string } = {}) => {
    const params = new URLSearchParams({ tab: 'cases' });
    if (filter.queue) params.set('queue', filter.queue);
    if (filter.status !== undefined) params.set('status', filter.status);
    return `/staff?${params}`;
  },
  case: (id: string) => `/staff?case=${encodeURIComponent(id)}`,
  members: (q?: string) => (q ? `/staff?tab=members&q=${encodeURIComponent(q)}` : '/staff?tab=members'),
  member: (id: string) => `/staff?member=${encodeURIComponent(id)}`,
  actor: (id: string) => `/ops?actor=${encodeURIComponent(id)}`,
};

/** Whether an id names a member (a seeker or a provider), whose page the console has. */
export const isMemberId = (id: string) => /^(skr|prv)_/.test(id);
