/** `J•••`, `1985-••-••`, `•••••••0199`: what an agent sees of personal data, enough to recognise, not to use (I3, P8). */
export const maskTail = (value: string | undefined | null) => (value ? value.replace(/.(?=.{2})/g, '•') : null);
export const maskName = (value: string) => value.replace(/(?<=^.).*/u, (rest) => '•'.repeat(rest.length));
export const maskDob = (dob: string | undefined | null) => (dob ? `${dob.slice(0, 4)}-••-••` : null);
