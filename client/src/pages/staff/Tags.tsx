/** A case's hashtags (API.md "Staff": the hashtags of its comments). */
export function Tags({ tags, label = 'Tags' }: { tags: string[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="staff-tags" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag} className="staff-tag">
          #{tag}
        </li>
      ))}
    </ul>
  );
}

/** Comment text with its hashtags drawn as tags, in place. */
export function TaggedText({ text }: { text: string }) {
  const parts = text.split(/(#[\p{L}\p{N}_]+)/u);
  return (
    <>
      {parts.map((part, i) =>
        /^#[\p{L}\p{N}_]+$/u.test(part) ? (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in its order
            key={i}
            className="staff-tag inline"
          >
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}
