/**
 * Member-facing messages, by template name. Each renders from the public view data of the actor
 * that caused it (for links: both members' display names), so no personal data beyond what the
 * recipient already sees goes into a message.
 */
type Data = Record<string, unknown>;
type Template = (d: Data) => { subject: string; text: string };

const templates: Record<string, Template> = {
  request_sent: (d) => ({
    subject: `Monitoring request sent to ${d.provider_name}`,
    text: `We asked ${d.provider_name} for consent to continuous background monitoring. We will let you know when they answer.`,
  }),
  new_request: (d) => ({
    subject: `${d.seeker_name} asks to monitor your background check`,
    text: `${d.seeker_name} hired you and asks for your consent to continuous background monitoring. Open your Background Check page to accept or decline.`,
  }),
  request_reminder: (d) => ({
    subject: `Reminder: ${d.seeker_name} is waiting for your answer`,
    text: `${d.seeker_name} is still waiting for your answer to their monitoring request.`,
  }),
  request_accepted: (d) => ({
    subject: `${d.provider_name} accepted continuous monitoring`,
    text: `${d.provider_name} accepted. Continuous background monitoring is now active; we will alert you about new records.`,
  }),
  request_declined: (d) => ({
    subject: `${d.provider_name} declined continuous monitoring`,
    text: `${d.provider_name} declined your monitoring request.`,
  }),
  request_cancelled: (d) => ({
    subject: `Monitoring request for ${d.provider_name} cancelled`,
    text: `Your continuous monitoring request for ${d.provider_name} was cancelled.`,
  }),
  request_withdrawn: (d) => ({
    subject: `${d.seeker_name} withdrew their monitoring request`,
    text: `${d.seeker_name} no longer asks to monitor your background check.`,
  }),
  access_removed: (d) => ({
    subject: `${d.provider_name} removed monitoring access`,
    text: `${d.provider_name} removed the access they had granted; monitoring has stopped.`,
  }),
  monitoring_stopped: (d) => ({
    subject: `${d.seeker_name} stopped monitoring`,
    text: `${d.seeker_name} no longer monitors your background check.`,
  }),
  monitoring_ended: (d) => ({
    subject: `Monitoring of ${d.provider_name} ended`,
    text: `Continuous monitoring of ${d.provider_name} has ended.`,
  }),
  limit_reached: (d) => ({
    subject: `Request for ${d.provider_name} not sent`,
    text: `You already monitor or asked to monitor 3 providers, so the request for ${d.provider_name} was not sent. Stop one to ask another.`,
  }),
  provider_unavailable: (d) => ({
    subject: `Request for ${d.provider_name} not sent`,
    text: `${d.provider_name} closed their account, so the monitoring request was not sent.`,
  }),
  record_found: (d) => ({
    subject: `New record found for ${d.provider_name}`,
    text: `Continuous monitoring found a record for ${d.provider_name} that warrants review. Open your Background Checks page to read the report.`,
  }),
  idv_verified: () => ({
    subject: 'Your identity is verified',
    text: 'Thank you: your identity is verified. You can now message and book providers.',
  }),
  idv_failed: () => ({
    subject: 'We could not verify your identity',
    text: 'We could not verify your identity, so your account has been closed. If you think this is a mistake, contact our support team.',
  }),
  idv_manual_review: () => ({
    subject: 'Your identity verification is being reviewed',
    text: 'Our screening team is reviewing your ID document and selfie. We will let you know as soon as they decide; until then you cannot message providers.',
  }),
  invitation: (d) => ({
    subject: 'Please complete your background check',
    text: `You have been invited to complete a background check. Open ${d.invitation_url} to review the disclosure, fill in what is missing and sign. The link works until ${d.expires_at}.`,
  }),
  status_link: (d) => ({
    subject: 'Follow your background check',
    text: `You can check the status of your background check at any time: open ${d.status_url} (the link works until ${d.expires_at}; the page offers a new one afterwards).`,
  }),
  invitation_reminder: (d) => ({
    subject: 'Reminder: your background check is waiting',
    text: `Your background check invitation is still waiting for you: ${d.invitation_url} (until ${d.expires_at}).`,
  }),
  pre_adverse_action: (d) => ({
    subject: 'Pre-adverse action notice about your background check',
    text: `A decision based in part on your background check report is being considered. You have until ${d.post_notice_scheduled_at} to dispute the information in it before a final decision is made. A copy of your report and a summary of your rights are available on request.`,
  }),
  post_adverse_action: () => ({
    subject: 'Adverse action notice about your background check',
    text: 'After the waiting period, a final adverse decision was made based in part on your background check report. You may dispute the accuracy of the report with the consumer reporting agency.',
  }),
};

export function render(template: string, data: Data) {
  const make = templates[template];
  if (!make) throw new Error(`no message template ${template}`);
  return make(data);
}
