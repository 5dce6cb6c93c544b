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
};

export function render(template: string, data: Data) {
  const make = templates[template];
  if (!make) throw new Error(`no message template ${template}`);
  return make(data);
}
