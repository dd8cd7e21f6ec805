/**
 * What the sample tickets say: fixed "scenario" tickets that the README examples and the
 * tests rely on, and per-category templates with slots for the seeded random ones.
 *
 * Texts read like real support requests so keyword search has something to find: the
 * words people search for (login, password, 2FA, invoice, refund, payment, export, API,
 * timeout, dashboard) all occur in the scenarios, so every seed has them.
 */
import type { Category, Priority, Status } from "../server/src/tickets/ticket.js";
import type { Random } from "./random.js";

export interface TicketText {
  title: string;
  description: string;
}

export interface Scenario extends TicketText {
  user_id: string;
  status: Status;
  priority: Priority;
  category: Category;
  assigned_to: string;
}

/**
 * Placed at fixed, evenly spread positions in every generated set (count >= 10). Between
 * them they cover every status, priority, category and assignee, and each line below
 * notes the search it guarantees.
 */
export const SCENARIOS: readonly Scenario[] = [
  // user123's tickets; "login", "password"
  {
    user_id: "user123",
    category: "authentication",
    status: "open",
    priority: "high",
    assigned_to: "support_agent1",
    title: "Cannot login after password reset",
    description:
      'I reset my password with the emailed link, but the login page still says "Invalid email or password". Tried Chrome and an incognito window, same result.',
  },
  // open + critical + security; user110 + critical
  {
    user_id: "user110",
    category: "security",
    status: "open",
    priority: "critical",
    assigned_to: "security_team",
    title: "Suspicious login attempts on admin account",
    description:
      "Our audit log shows hundreds of failed login attempts on the admin account from unknown IP addresses overnight, and one successful sign-in from Singapore. Please lock the account and investigate.",
  },
  // open + high + billing ("high-priority payment problems that are still open"); refund
  {
    user_id: "user123",
    category: "billing",
    status: "open",
    priority: "high",
    assigned_to: "billing_team",
    title: "Payment failed but my card was charged",
    description:
      'Renewing the Business plan showed "Payment failed", yet my card was charged $99.00. The plan is still inactive. Please refund the payment or activate the plan.',
  },
  // feature + in_progress; medium; "export"
  {
    user_id: "user115",
    category: "feature",
    status: "in_progress",
    priority: "medium",
    assigned_to: "dev_team",
    title: "Export ticket list to Excel and CSV",
    description:
      "We need to export the filtered ticket list, with all columns, to .xlsx or .csv for our weekly management report. Today we copy it by hand.",
  },
  // authentication + closed; "2FA"
  {
    user_id: "user104",
    category: "authentication",
    status: "closed",
    priority: "medium",
    assigned_to: "support_agent2",
    title: "2FA codes not accepted after phone change",
    description:
      "I moved to a new phone and the 2FA codes from my authenticator app are rejected. Resolved: support reset two-factor authentication and I enrolled the new device.",
  },
  // rejected + technical; "API"
  {
    user_id: "user118",
    category: "technical",
    status: "rejected",
    priority: "low",
    assigned_to: "tech_lead",
    title: "API rate limit too low for nightly sync",
    description:
      "Our nightly sync hits HTTP 429 from the API after 1,000 requests. Please raise the limit to 10,000 per hour for our account.",
  },
  // open + low + technical; "dashboard"
  {
    user_id: "user107",
    category: "technical",
    status: "open",
    priority: "low",
    assigned_to: "support_agent3",
    title: "Dashboard widgets overlap on small screens",
    description:
      "On a 13-inch laptop the dashboard widgets overlap and the ticket counters are cut off. Zooming out to 90% fixes it.",
  },
  // pending; "invoice"
  {
    user_id: "user112",
    category: "billing",
    status: "pending",
    priority: "medium",
    assigned_to: "support_agent4",
    title: "Invoice is missing our VAT number",
    description:
      "Invoice INV-2025-00417 does not show our VAT ID, so our accounting team cannot book it. Waiting for your corrected invoice.",
  },
  // a third ticket of user123; "export", "timeout"
  {
    user_id: "user123",
    category: "technical",
    status: "in_progress",
    priority: "high",
    assigned_to: "qa_team",
    title: "Report export fails with a timeout",
    description:
      "Exporting the yearly report (about 250,000 rows) ends with a timeout after 60 seconds. Smaller date ranges export fine.",
  },
  // security + closed; "API"
  {
    user_id: "user109",
    category: "security",
    status: "closed",
    priority: "high",
    assigned_to: "security_team",
    title: "API key exposed in a public repository",
    description:
      "A developer pushed our production API key to a public GitHub repository. The key was revoked and a new one issued; access logs showed no misuse.",
  },
];

const BROWSERS = ["Chrome 131", "Firefox 133", "Safari 18", "Edge 131"];
const DEVICES = ["iPhone 15 (iOS 18.1)", "Pixel 8 (Android 15)", "Galaxy S23 (Android 14)"];
const PLANS = { Starter: 19, Team: 49, Business: 99, Enterprise: 249 } as const;
const PLAN_NAMES = Object.keys(PLANS) as (keyof typeof PLANS)[];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"];
const MORE_MONTHS = [...MONTHS, "September", "October", "November", "December"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const AREAS = ["dashboard", "reports page", "ticket list", "admin console", "analytics view"];
const REPORTS = ["monthly revenue report", "ticket history", "SLA report", "audit log"];
const AUTH_ERRORS = ["AUTH-401", "AUTH-403", "AUTH-419", "AUTH-429"];
const PAYMENT_ERRORS = ["card_declined", "insufficient_funds", "expired_card", "do_not_honor"];
const HTTP_ERRORS = ["500 Internal Server Error", "502 Bad Gateway", "504 Gateway Timeout"];
const ENDPOINTS = [
  "/api/v2/tickets",
  "/api/v2/users",
  "/api/v2/reports/export",
  "/api/v2/invoices",
];
const INTEGRATIONS = ["Slack", "Jira", "Salesforce", "HubSpot", "Microsoft Teams"];
const IDENTITY_PROVIDERS = ["Okta", "Azure AD", "Google Workspace", "OneLogin"];
const CITIES = ["Frankfurt", "Singapore", "São Paulo", "Lagos", "Toronto", "Mumbai"];

type Template = (r: Random) => TicketText;

function plan(r: Random): { name: string; amount: string } {
  const name = r.pick(PLAN_NAMES);
  return { name, amount: `$${PLANS[name]}.00` };
}

const invoiceNumber = (r: Random) => `INV-2025-${String(r.between(1, 99999)).padStart(5, "0")}`;

export const TEMPLATES: Readonly<Record<Category, readonly Template[]>> = {
  authentication: [
    (r) => ({
      title: "Cannot login after password reset",
      description: `I reset my password using the emailed link, but the login page still says "Invalid email or password". Tried ${r.pick(BROWSERS)} and a private window, same result.`,
    }),
    (r) => ({
      title: "2FA code rejected on every login attempt",
      description: `The 6-digit code from my authenticator app is rejected with ${r.pick(AUTH_ERRORS)}. My phone's clock is set automatically. I'm locked out of the ${r.pick(AREAS)}.`,
    }),
    (r) => ({
      title: "Password reset email never arrives",
      description: `I requested a password reset ${r.between(2, 5)} times in the last hour and nothing arrived, not even in spam. Colleagues on the same domain get our emails fine.`,
    }),
    (r) => ({
      title: "Account locked after failed login attempts",
      description: `After ${r.between(3, 10)} failed login attempts my account was locked. I know my password now, but the lock has not cleared after ${r.pick([15, 30, 60])} minutes.`,
    }),
    (r) => {
      const idp = r.pick(IDENTITY_PROVIDERS);
      return {
        title: `SSO login with ${idp} loops back to the sign-in page`,
        description: `Since ${r.pick(WEEKDAYS)}, signing in through ${idp} redirects back to our login page without an error. Password login still works for admins.`,
      };
    },
    (r) => ({
      title: "Session expires every few minutes",
      description: `I get logged out of the ${r.pick(AREAS)} every ${r.pick([5, 10, 15])} minutes and lose unsaved changes. Using ${r.pick(BROWSERS)}; "Remember me" is checked.`,
    }),
    () => ({
      title: "Lost phone, need to reset 2FA",
      description:
        "My phone with the authenticator app was stolen and I don't have the backup codes. Please reset two-factor authentication (2FA) so I can log in again.",
    }),
    (r) => ({
      title: "Cannot sign in on the mobile app",
      description: `The mobile app on ${r.pick(DEVICES)} shows "${r.pick(AUTH_ERRORS)}: session invalid" right after I enter my password. Login on the website works.`,
    }),
  ],
  billing: [
    (r) => {
      const { name, amount } = plan(r);
      return {
        title: `Charged twice for the ${name} plan in ${r.pick(MONTHS)}`,
        description: `My card was charged ${amount} twice on the same day. Please refund the duplicate payment; the invoice number is ${invoiceNumber(r)}.`,
      };
    },
    (r) => {
      const { name, amount } = plan(r);
      return {
        title: "Refund not received for cancelled subscription",
        description: `I cancelled the ${name} plan and was promised a refund of ${amount} within 5-7 business days. It has been ${r.between(10, 30)} days.`,
      };
    },
    (r) => {
      const code = r.pick(PAYMENT_ERRORS);
      return {
        title: `Payment declined: ${code}`,
        description: `Renewing the ${plan(r).name} plan fails with "${code}". Our bank says there is no block on the card. Is there another way to pay?`,
      };
    },
    (r) => ({
      title: "Invoice shows our old company address",
      description: `Invoice ${invoiceNumber(r)} for ${r.pick(MONTHS)} lists our old address and is missing our VAT ID. Our accounting team needs a corrected invoice.`,
    }),
    (r) => ({
      title: `Need PDF invoices for ${r.pick(MORE_MONTHS)}`,
      description:
        "The billing page only shows the last three invoices. Please send the PDF invoices for the last quarter; our auditors need them this week.",
    }),
    (r) => {
      const { name, amount } = plan(r);
      return {
        title: `Upgrade to ${name} not applied after payment`,
        description: `I upgraded to ${name} and the payment of ${amount} went through, but the account still shows the old plan limits.`,
      };
    },
    (r) => ({
      title: "Question about prorated charges",
      description: `We added ${r.between(2, 25)} seats mid-cycle and the next invoice is higher than expected. How is proration calculated?`,
    }),
    (r) => ({
      title: "Switch payment from card to bank transfer",
      description: `Our finance team wants to pay by bank transfer instead of credit card from ${r.pick(MORE_MONTHS)} on. Is that possible on the ${plan(r).name} plan?`,
    }),
  ],
  feature: [
    (r) => {
      const report = r.pick(REPORTS);
      return {
        title: `Export the ${report} to Excel`,
        description: `Please add an export of the ${report} to .xlsx. Right now we copy it from the screen into a spreadsheet every week.`,
      };
    },
    (r) => ({
      title: "Dark mode for the dashboard",
      description: `Many of our agents work night shifts; a dark theme for the dashboard and the ${r.pick(AREAS)} would help a lot.`,
    }),
    (r) => ({
      title: "Scheduled CSV export",
      description: `We'd like the ${r.pick(REPORTS)} exported every Monday and emailed as a CSV file, so our BI team can import it automatically.`,
    }),
    (r) => ({
      title: "Webhook when a ticket status changes",
      description: `We want to notify ${r.pick(INTEGRATIONS)} when a ticket is closed or rejected. A webhook with the ticket id and the new status would be enough.`,
    }),
    (r) => ({
      title: "API endpoint to update tickets in bulk",
      description: `Updating ${r.pick(["5,000", "20,000", "80,000"])} tickets one by one through the API takes hours. A bulk endpoint (e.g. PATCH ${r.pick(ENDPOINTS)}) would help.`,
    }),
    (r) => ({
      title: `Custom fields in the ${r.pick(AREAS)}`,
      description:
        "We need two custom fields (contract number, region) that can be filtered on and included in exports.",
    }),
    (r) => {
      const tool = r.pick(INTEGRATIONS);
      return {
        title: `Native ${tool} integration`,
        description: `Please add a ${tool} integration so new tickets show up in our team's workspace automatically, with a link back to the ticket.`,
      };
    },
    () => ({
      title: "Saved filters on the dashboard",
      description:
        "Let us save filter combinations (status, priority, assignee) on the dashboard and share them with the whole team.",
    }),
  ],
  technical: [
    (r) => {
      const seconds = r.between(12, 45);
      return {
        title: `Dashboard takes ${seconds} seconds to load`,
        description: `Since the last update the dashboard takes about ${seconds} seconds to load in ${r.pick(BROWSERS)}. Other pages are fast.`,
      };
    },
    (r) => {
      const error = r.pick(HTTP_ERRORS);
      const endpoint = r.pick(ENDPOINTS);
      return {
        title: `API returns ${error.split(" ")[0]} on ${endpoint}`,
        description: `About one in ten requests to ${endpoint} fails with "${error}" since ${r.pick(WEEKDAYS)}. Example request id: req_${r.int(0x1000000).toString(16).padStart(6, "0")}.`,
      };
    },
    (r) => ({
      title: "Export times out for large date ranges",
      description: `Exporting more than ${r.pick(["50,000", "120,000", "300,000"])} rows from the ${r.pick(REPORTS)} ends with a timeout after 60 seconds. Shorter ranges work.`,
    }),
    (r) => {
      const size = r.pick([25, 50, 100, 250]);
      return {
        title: `Timeout uploading attachments over ${size} MB`,
        description: `Uploading files larger than ${size} MB fails with a timeout at about 90%. Tried ${r.pick(BROWSERS)} and the desktop app.`,
      };
    },
    (r) => ({
      title: `Mobile app crashes on ${r.pick(DEVICES)}`,
      description: `The app closes as soon as I open a ticket with images. Reinstalled it, same problem. App version 4.${r.between(0, 9)}.${r.between(0, 20)}.`,
    }),
    (r) => {
      const tool = r.pick(INTEGRATIONS);
      return {
        title: `${tool} sync stopped working`,
        description: `Tickets have not synced to ${tool} since ${r.pick(WEEKDAYS)}. The integration page says "last sync failed" without details.`,
      };
    },
    (r) => {
      const browser = r.pick(BROWSERS);
      return {
        title: `Charts on the ${r.pick(AREAS)} are blank in ${browser}`,
        description: `Charts render as empty boxes in ${browser}, and the browser console shows a JavaScript error. Other browsers work.`,
      };
    },
    (r) => ({
      title: "Email notifications arrive hours late",
      description: `Notifications about new replies arrive ${r.between(2, 9)} hours late. The message headers show the delay happens before your mail server sends them.`,
    }),
  ],
  security: [
    (r) => {
      const city = r.pick(CITIES);
      return {
        title: `Suspicious login from ${city}`,
        description: `I got a "new sign-in" alert for a login from ${city} while I was asleep. I changed my password; please check my account for other activity.`,
      };
    },
    () => ({
      title: "API key exposed in a public repository",
      description:
        "A developer accidentally pushed our production API key to a public repository. Please revoke it and tell us whether it was used.",
    }),
    () => ({
      title: "Phishing email pretending to be your billing team",
      description:
        'Several employees received an email asking them to "confirm payment details" on a look-alike domain. Headers attached; please advise.',
    }),
    (r) => ({
      title: "Former employee still has access",
      description: `We removed a user from our directory ${r.between(2, 14)} days ago, but their sessions still work in the ${r.pick(AREAS)}. Please end all their sessions.`,
    }),
    (r) => ({
      title: "Possible XSS in ticket comments",
      description: `A comment containing a <script> tag was executed when opened in the ${r.pick(AREAS)}. Reporting this responsibly; happy to share the payload.`,
    }),
    () => ({
      title: "Enforce 2FA for all admin accounts",
      description:
        "Our security policy requires two-factor authentication for every admin. Can 2FA be enforced for the whole organisation?",
    }),
    (r) => ({
      title: "Unexpected admin role on a user account",
      description: `A user on our team now has the admin role and nobody here granted it. The audit log shows the change at ${String(r.between(0, 23)).padStart(2, "0")}:${String(r.between(0, 59)).padStart(2, "0")} UTC.`,
    }),
    (r) => ({
      title: "Brute-force attempts against our login page",
      description: `Our logs show thousands of failed login attempts from ${r.between(40, 900)} IP addresses within an hour. Is rate limiting enabled for our account?`,
    }),
  ],
};
