/** The disclosure text and the agreement box; agreeing enables the action. */
export function Disclosure({ text, agreed, onChange }: { text: string[]; agreed: boolean; onChange: (agreed: boolean) => void }) {
  return (
    <div className="disclosure">
      {text.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <label>
        <input type="checkbox" checked={agreed} onChange={(e) => onChange(e.target.checked)} /> I have read and agree to these disclosures
      </label>
    </div>
  );
}
