/**
 * The offline parser's vocabulary: Russian and English wordings of every filter value,
 * as regular-expression sources over lower-cased text with "ё" folded to "е".
 *
 * Russian is matched by stems (`критич\p{L}*` covers критичные, критичных, критичным…),
 * so new word forms need no new entries. Word boundaries are Unicode-aware (`\b` in JS
 * only knows ASCII letters), see `words()`.
 */
import type { Category, GroupBy, Priority, SortOrder, Status } from "./types.js";

const BEFORE = "(?<![\\p{L}\\p{N}_])";
const AFTER = "(?![\\p{L}\\p{N}_])";

/** A global, Unicode regex matching `source` as whole words. */
export function words(source: string, flags = "giu"): RegExp {
  return new RegExp(`${BEFORE}(?:${source})${AFTER}`, flags);
}

/** An anchored test: does the whole of `token` match `source`? */
export function whole(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, "iu");
}

export interface ValueRule<V extends string> {
  value: V;
  source: string;
  /** high/medium/low: only a priority when the context says so (see parser). */
  level?: boolean;
  /** A concrete English term (login, invoice…): after "about" it is a keyword. */
  concrete?: boolean;
  /** The wording itself negates the value ("некритичные", "non-critical"). */
  negated?: boolean;
  /** Excluded with this value when it is excluded ("not closed" is not rejected either). */
  alsoExcludes?: V[];
}

/**
 * Status wordings, most specific first. Deliberate choices:
 * - "not closed", "не закрыты", "незакрытые", "unresolved", "except closed", "кроме
 *   закрытых" all mean the tickets still being worked on: open, in_progress, pending.
 *   A rejected ticket is finished too, so excluding "closed" excludes "rejected" with it
 *   (`alsoExcludes`). Other negations are plain complements ("not open", "кроме
 *   отклонённых").
 * - "opened" is not a status ("opened by user123" is about creation).
 */
export const STATUS_RULES: ValueRule<Status>[] = [
  {
    value: "closed",
    negated: true,
    alsoExcludes: ["rejected"],
    source:
      "(?:not|\\p{L}*n't|never)(?:\\s+(?:yet|been|be|being|still|ever|already))*\\s+(?:closed|resolved|solved|done|finished|completed|fixed)" +
      "|un(?:resolved|solved|closed|finished)" +
      "|не\\s+(?:(?:еще|пока|был\\p{L}*|уже)\\s+)*(?:закрыт|решен|выполнен|завершен|обработан)\\p{L}*" +
      "|не(?:закрыт|решенн|выполненн|завершенн|обработанн)\\p{L}*",
  },
  {
    value: "in_progress",
    source:
      "in[\\s_-]?progress|being\\s+(?:worked\\s+on|handled|processed|fixed|investigated)|work\\s+in\\s+progress|wip|ongoing|under\\s?way|in\\s+work" +
      "|в\\s+(?:работе|процессе|обработке|разработке)|в_работе|обрабатыва\\p{L}*|взят\\p{L}*\\s+в\\s+работу",
  },
  {
    value: "pending",
    source:
      "pending|waiting|awaiting|on\\s+hold|paused|deferred|postponed" +
      "|в\\s+ожидании|ожида\\p{L}*|жд(?:ут|ет|ем|ущ\\p{L}*)|на\\s+рассмотрении|отложен\\p{L}*|на\\s+паузе|приостановлен\\p{L}*|на\\s+удержании",
  },
  {
    value: "rejected",
    source:
      "rejected|declined|denied|refused|dismissed|cancell?ed|won'?t\\s+fix|wontfix" +
      "|отклонен\\p{L}*|отклонены?|отменен\\p{L}*|отказан\\p{L}*|отвергнут\\p{L}*|с\\s+отказом",
  },
  {
    value: "closed",
    alsoExcludes: ["rejected"],
    source:
      "closed|resolved|solved|done|finished|completed" +
      "|закрыт\\p{L}*|решенн\\p{L}*|решен[аоы]?|выполненн\\p{L}*|выполнен[аоы]?|завершенн\\p{L}*|завершен[аоы]?",
  },
  { value: "open", source: "open|active|outstanding|открыт\\p{L}*|активн\\p{L}*" },
];

export const PRIORITY_RULES: ValueRule<Priority>[] = [
  {
    value: "critical",
    source: "non[\\s-]?critical|некритич\\p{L}*|некритическ\\p{L}*",
    negated: true,
  },
  {
    value: "critical",
    source:
      "critical|urgent|blockers?|blocking|highest(?:\\s+priority)?|top[\\s-]+priority|p0" +
      "|критич\\p{L}*|критическ\\p{L}*|срочн\\p{L}*|наивысш\\p{L}*|блокер\\p{L}*|сам\\p{L}*\\s+высок\\p{L}*",
  },
  { value: "high", source: "высокоприоритетн\\p{L}*" },
  { value: "medium", source: "среднеприоритетн\\p{L}*" },
  { value: "low", source: "низкоприоритетн\\p{L}*" },
  { value: "high", source: "high|higher|высок\\p{L}*", level: true },
  {
    value: "medium",
    source: "medium|mid|moderate|middle|средн\\p{L}*|умеренн\\p{L}*",
    level: true,
  },
  { value: "low", source: "low|lower|lowest|minor|низк\\p{L}*|минимальн\\p{L}*", level: true },
];

export const CATEGORY_RULES: ValueRule<Category>[] = [
  {
    value: "feature",
    source:
      "feature[\\s-]+requests?|features?|new\\s+functionality|functionality|enhancements?|improvements?" +
      "|фич\\p{L}*|функциональн\\p{L}*|нов\\p{L}*\\s+функци\\p{L}*|доработк\\p{L}*|улучшени\\p{L}*|пожелани\\p{L}*",
  },
  {
    value: "security",
    source: "security|vulnerabilit\\p{L}*|infosec|безопасн\\p{L}*|уязвим\\p{L}*",
  },
  {
    value: "billing",
    // Concrete terms: after "about"/"про" they are keywords ("про возврат" -> refund).
    source:
      "invoices?|invoicing|refunds?|(?<!in\\s)charged?|charges" +
      "|(?<!за\\s)сч[её]т(?:а|ов|ам|ами|ах|е|у)?|сч[её]т-фактур\\p{L}*|возврат\\p{L}*|списани\\p{L}*",
    concrete: true,
  },
  {
    value: "billing",
    source:
      "billing|billed|payments?|pay|paid|subscriptions?|finance|financial" +
      "|оплат\\p{L}*|биллинг\\p{L}*|платеж\\p{L}*|подписк\\p{L}*|деньг\\p{L}*|денег|финанс\\p{L}*",
  },
  {
    value: "authentication",
    source:
      "log[\\s-]?ins?|logging\\s+in|sign[\\s-]?ins?|signing\\s+in|passwords?|2fa|mfa|two[\\s-]factor|sso|single\\s+sign[\\s-]on|credentials?" +
      "|вход(?:а|ом|е|у|ы)?|логин\\p{L}*|парол\\p{L}*|двухфактор\\p{L}*",
    concrete: true,
  },
  {
    value: "authentication",
    source:
      "authentication|authenticat\\p{L}*|auth|authori[sz]ation" +
      "|аутентифик\\p{L}*|авториз\\p{L}*|войти|зайти|залогин\\p{L}*",
  },
  { value: "technical", source: "bugs?|crash\\p{L}*", concrete: true },
  {
    value: "technical",
    source: "technical|tech|тех\\.|техническ\\p{L}*|техничн\\p{L}*|техник\\p{L}*|баг\\p{L}*",
  },
];

/** Words that name the thing asked about without filtering it. */
export const TICKET_NOUN =
  "tickets?|issues?|problems?|requests?|cases?|complaints?|incidents?|reports?|items?|records?|entries|ones" +
  "|тикет\\p{L}*|заявк\\p{L}*|заявок|обращени\\p{L}*|проблем\\p{L}*|запрос\\p{L}*|инцидент\\p{L}*|вопрос\\p{L}*|жалоб\\p{L}*|задач\\p{L}*";

export const PRIORITY_WORD = "priorit\\p{L}*|приоритет\\p{L}*|приоритетн\\p{L}*";

/** A value named right after one of these is excluded ("except closed", "кроме закрытых"). */
export const NEGATION_CUE =
  "(?:not|neither|except(?:\\s+for)?|excluding|exclude|without|other\\s+than|but\\s+not|(?:anything|everything|all|all\\s+tickets|any\\s+tickets)\\s+but|без|кроме|исключая|за\\s+исключением|не|ни" +
  "|(?:don't|do\\s+not|не)\\s+(?:show|include|list|want|need|показывай|включай|выводи|надо|нужно|нужны)(?:\\s+me)?)\\s+" +
  // "except those in", "кроме тех, что по", "не по", "not in the": a preposition between
  "(?:(?:the|any|all|уже|всех|тех|those|ones|the\\s+ones)\\s*,?\\s+)?(?:(?:что|которые|that\\s+are|which\\s+are|that|which)\\s+)?" +
  "(?:(?:in|from|of|for|about|within|по|из|в|во|про|от|на)\\s+)?(?:the\\s+)?$";

/** Assignees: literal names first, then wordings. `$1` in a value is the captured digit. */
const ASSIGNED_TO =
  "(?<=(?:assigned|handled|owned|taken|назначенн?\\p{L}*|закреплен\\p{L}*)\\s+(?:to|by|на|за)\\s+(?:the\\s+)?)";

export const ASSIGNEE_RULES: { value: string; source: string }[] = [
  { value: "support_agent$1", source: "support[_\\s-]?agent[_\\s-]?#?(\\d+)" },
  // "assigned to security", "назначенные на биллинг": a team named by its area
  { value: "security_team", source: `${ASSIGNED_TO}(?:security|безопасност\\p{L}*)` },
  {
    value: "billing_team",
    source: `${ASSIGNED_TO}(?:billing|finance|биллинг\\p{L}*|финанс\\p{L}*)`,
  },
  { value: "dev_team", source: `${ASSIGNED_TO}(?:dev|development|engineering|разработк\\p{L}*)` },
  { value: "qa_team", source: `${ASSIGNED_TO}(?:testing|тестировани\\p{L}*)` },
  { value: "$0", source: "[a-z][a-z0-9]*_(?:team|lead|agent\\d*|group|ops)" },
  {
    value: "support_agent$1",
    source:
      "agent\\s*#?\\s*(\\d+)|агент\\p{L}*\\s+(?:поддержки\\s+)?(?:№|#|номер\\s+)?\\s*(\\d+)|сотрудник\\p{L}*\\s+поддержки\\s+(?:№|#)?\\s*(\\d+)",
  },
  {
    value: "dev_team",
    source:
      "dev(?:elopment)?\\s+team|developers|devs|engineering\\s+team|команд\\p{L}*\\s+разработ\\p{L}*|разработчик\\p{L}*|dev[\\s-]команд\\p{L}*",
  },
  {
    value: "security_team",
    source:
      "security\\s+(?:team|department)|secops|(?:команд|служб|отдел)\\p{L}*\\s+(?:по\\s+)?безопасност\\p{L}*|безопасник\\p{L}*",
  },
  {
    value: "billing_team",
    source:
      "(?:billing|finance|payments?)\\s+(?:team|department)|команд\\p{L}*\\s+(?:по\\s+)?(?:биллинг|оплат|платеж)\\p{L}*|биллинг[\\s-]команд\\p{L}*|финансов\\p{L}*\\s+(?:отдел|команд)\\p{L}*|бухгалтери\\p{L}*",
  },
  {
    value: "tech_lead",
    source:
      "tech(?:nical)?\\s+lead|team\\s+lead|techlead|техлид\\p{L}*|тех\\.?\\s*лид\\p{L}*|техническ\\p{L}*\\s+лид\\p{L}*|тимлид\\p{L}*",
  },
  {
    value: "qa_team",
    source:
      "qa(?:\\s+team)?|quality\\s+assurance|testers|testing\\s+team|тестировщик\\p{L}*|команд\\p{L}*\\s+(?:qa|тестировани\\p{L}*)|qa[\\s-]команд\\p{L}*|отдел\\p{L}*\\s+тестировани\\p{L}*",
  },
];

/** Consumed in front of an assignee so "assigned" is not read as a group-by word. */
export const ASSIGNEE_CUE =
  "(?:(?:is|are|was|were|that\\s+are|which\\s+are|currently)\\s+)?(?:assigned|handled|owned|taken|назнач\\p{L}*|закреплен\\p{L}*|переданн?\\p{L}*)(?:\\s+(?:to|by|на|за|к))?\\s+(?:the\\s+)?$";

/** Keyword triggers whose next words are always the keyword. */
export const EXPLICIT_KEYWORD_CUE =
  "(?:with|for|by|on)\\s+(?:the\\s+)?(?:key\\s*words?|words?|text|phrases?|terms?)|including\\s+the\\s+(?:words?|text|phrase)|mention(?:s|ing|ed)?|containing|contains?|key\\s*words?|saying|says|referencing|references?|refer(?:s|ring)?\\s+to" +
  "|where\\s+(?:the\\s+)?(?:title|description|text)\\s+(?:contains|has|mentions|includes|says)|(?:in|with)\\s+(?:the\\s+)?(?:title|description)" +
  "|(?:с|по)\\s+ключев\\p{L}*\\s+слов\\p{L}*|по\\s+(?:запросу|фразе|тексту)|ключев\\p{L}*\\s+слов\\p{L}*|со\\s+слов(?:ом|ами)|по\\s+слову|с\\s+(?:текстом|фразой)|содерж\\p{L}*(?:\\s+слов\\p{L}*)?|упомина\\p{L}*|с\\s+упоминанием" +
  "|(?:где|в\\s+которых)\\s+(?:есть|встречается|упоминается|говорится\\s+(?:о|об|про))|в\\s+(?:названии|заголовке|описании|тексте)(?:\\s+(?:есть|которых))?";

/** "with X in the title", "с X в названии": the keyword stands before the cue. */
export const POSTFIX_KEYWORD =
  "(?:with|having|that\\s+have|which\\s+have|с|со)\\s+([\\p{L}\\p{N}][\\p{L}\\p{N}_.+#-]*(?:\\s+[\\p{L}\\p{N}][\\p{L}\\p{N}_.+#-]*)?)\\s+" +
  "(?:in\\s+(?:the\\s+|their\\s+|its\\s+)?(?:titles?|descriptions?|text|subject|body)|в\\s+(?:названии|заголовке|описании|тексте|теме))";

/** Keyword triggers that may introduce a topic instead ("about billing" is a category). */
export const SOFT_KEYWORD_CUE =
  "about|regarding|concerning|matching|match(?:es)?|related\\s+to|relating\\s+to|re:|on\\s+the\\s+topic\\s+of|to\\s+do\\s+with|dealing\\s+with|involving" +
  "|про|насчет|касательно|касающ\\p{L}*|относительно|по\\s+поводу|на\\s+тему|по\\s+теме|связанн?\\p{L}*\\s+с|о|об|обо";

/** Words that end an unquoted keyword (never part of it after the first word). */
export const KEYWORD_STOP =
  "that|which|who|whose|where|with|without|for|from|by|in|on|of|and|or|assigned|created|updated|opened|status|priority|category|sorted|ordered|is|are|was|were|has|have|since|after|before|between|until|please|than|but|except|to" +
  "|котор\\p{L}*|что|где|и|или|у|для|от|в|во|на|с|со|по|за|до|после|из|к|пользовател\\p{L}*|назнач\\p{L}*|статус\\p{L}*|приоритет\\p{L}*|категори\\p{L}*|созда\\p{L}*|обновл\\p{L}*|отсортир\\p{L}*|пожалуйста|кроме|но|а";

export const ARTICLE =
  "the|a|an|any|some|both|either|оба|обоими|word|term|phrase|text|keyword|слово|слова|фразу|текст";

/**
 * Unquoted Russian keywords are translated to the English words the ticket texts use
 * (the data is English; a quoted keyword is always sent as written).
 */
export const RU_KEYWORDS: [string, string][] = [
  ["экспорт\\p{L}*", "export"],
  ["импорт\\p{L}*", "import"],
  ["парол\\p{L}*", "password"],
  ["логин\\p{L}*|вход(?:а|ом|е|у)?", "login"],
  ["тайм-?аут\\p{L}*", "timeout"],
  ["сч[её]т(?:а|ов|ам|ами|ах|е|у)?|сч[её]т-фактур\\p{L}*", "invoice"],
  ["возврат\\p{L}*", "refund"],
  ["платеж\\p{L}*|оплат\\p{L}*", "payment"],
  ["дашборд\\p{L}*", "dashboard"],
  ["апи", "API"],
  ["отчет\\p{L}*", "report"],
  ["уведомлени\\p{L}*", "notification"],
  ["ошибк\\p{L}*", "error"],
  ["интеграци\\p{L}*", "integration"],
  ["синхрониз\\p{L}*", "sync"],
  ["карт(?:а|ы|у|ой|е)", "card"],
  ["подписк\\p{L}*", "subscription"],
  ["почт\\p{L}*", "email"],
  ["двухфактор\\p{L}*", "2FA"],
];

// prettier-ignore
export const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  fifteen: 15, twenty: 20, thirty: 30, fifty: 50, hundred: 100,
  один: 1, одну: 1, одного: 1, два: 2, две: 2, двух: 2, три: 3, трех: 3, четыре: 4, четырех: 4,
  пять: 5, пяти: 5, шесть: 6, шести: 6, семь: 7, семи: 7, восемь: 8, восьми: 8,
  девять: 9, девяти: 9, десять: 10, десяти: 10, пятнадцать: 15, двадцать: 20, двадцати: 20,
  тридцать: 30, пятьдесят: 50, сто: 100,
};

export const NUMBER = `\\d{1,3}|${Object.keys(NUMBER_WORDS).join("|")}`;

export function numberValue(token: string): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS[token.toLowerCase()];
}

/** Month names: index 0 = January. English full and short forms, Russian stems. */
export const MONTHS: string[] = [
  "january|jan|январ\\p{L}*",
  "february|feb|феврал\\p{L}*",
  "march|mar|март\\p{L}*",
  "april|apr|апрел\\p{L}*",
  "may|ма[йяе]",
  "june|jun|июн\\p{L}*",
  "july|jul|июл\\p{L}*",
  "august|aug|август\\p{L}*",
  "september|sept?|сентябр\\p{L}*",
  "october|oct|октябр\\p{L}*",
  "november|nov|ноябр\\p{L}*",
  "december|dec|декабр\\p{L}*",
];

/** Counting questions. */
export const STATS_CUE =
  "how\\s+many|how\\s+much|count(?:s|ing)?|number\\s+of|statistic\\p{L}*|stats|summary|overview|breakdown|break\\s+down|distribution|distributed|group(?:ed)?\\s+by|tally|totals?" +
  "|most\\s+(?:common|frequent)|(?:which|what)\\s+\\p{L}+\\s+(?:has|have|gets?)\\s+(?:the\\s+)?most" +
  "|who\\s+(?:has|have|holds|handles|owns|gets?|got|is\\s+assigned)\\s+(?:the\\s+)?(?:most|fewest|least)|у\\s+кого|кто\\s+(?:больше|меньше|чаще)" +
  "|сколько|сводк\\p{L}*|обзор\\p{L}*|количеств\\p{L}*|числ[оа]|статистик\\p{L}*|распределени\\p{L}*|разбивк\\p{L}*|разбей|сгруппир\\p{L}*|группиров\\p{L}*|в\\s+разрезе|подсчита\\p{L}*|посчита\\p{L}*|подсчет\\p{L}*|больше\\s+всего|чаще\\s+всего|сам\\p{L}*\\s+част\\p{L}*";

/** Counting words that ask for statistics even with no ticket word ("статистика"). */
export const STRONG_STATS_CUE =
  "statistic\\p{L}*|stats|breakdown|overview|статистик\\p{L}*|распределени\\p{L}*|сводк\\p{L}*";

/** Nouns naming a group-by dimension. */
export const DIMENSIONS: { value: GroupBy; source: string }[] = [
  { value: "status", source: "status(?:es)?|states?|статус\\p{L}*|состояни\\p{L}*" },
  { value: "priority", source: "priorit(?:y|ies)|urgency|приоритет\\p{L}*|срочност\\p{L}*" },
  {
    value: "category",
    source:
      "categor(?:y|ies)|types?|topics?|kinds?|категори\\p{L}*|тип(?:ам|у|ы|ов|ах|ами)?|тем(?:ам|ах|ами)",
  },
  {
    value: "assigned_to",
    source:
      "assignees?|assigned|agents?|teams?|owners?|handlers?|на\\s+ком|исполнител\\p{L}*|ответственн\\p{L}*|назначенн?\\p{L}*|агент\\p{L}*|сотрудник\\p{L}*|команд\\p{L}*|специалист\\p{L}*",
  },
  {
    value: "user_id",
    source:
      "users?|customers?|clients?|requesters?|reporters?|пользовател\\p{L}*|клиент\\p{L}*|юзер\\p{L}*|заявител\\p{L}*|автор\\p{L}*",
  },
];

/** Words that put a dimension right after them in a group-by ("by status", "по статусам"). */
export const GROUP_CUE =
  "by|per|for\\s+each|for\\s+every|each|every|across|по|в\\s+разрезе|для\\s+кажд\\p{L}*|у\\s+кажд\\p{L}*|на\\s+кажд\\p{L}*|кажд\\p{L}*|среди|между";

/** "most urgent first", "сначала критичные": sorting, read before priority words are. */
export const PRIORITY_FIRST =
  "(?:highest|most\\s+urgent|most\\s+critical|most\\s+important|critical)(?:\\s+priority)?(?:\\s+(?:ones|tickets))?\\s+first" +
  "|сначала\\s+(?:сам\\p{L}*\\s+)?(?:срочн|критич|критическ|важн)\\p{L}*";

/** Sort wordings, most specific first ("last updated" before "last"). */
export const SORT_RULES: { value: SortOrder; source: string }[] = [
  {
    value: "updated",
    source:
      "(?:recently|last|latest|most\\s+recently)\\s+(?:updated|modified|changed)|by\\s+(?:last\\s+)?update(?:d|\\s+date|\\s+time)?" +
      "|(?:недавно|последн\\p{L}*)\\s+(?:обновл|измен)\\p{L}*|по\\s+(?:дате\\s+|времени\\s+)?(?:последнего\\s+)?(?:обновлени|изменени)\\p{L}*",
  },
  {
    value: "priority",
    source:
      "(?:sort|sorted|order|ordered|rank|ranked|arrange|arranged)\\s+by\\s+(?:the\\s+)?(?:priority|urgency)" +
      "|(?:отсортир|упорядоч|сортир|отранжир)\\p{L}*\\s+по\\s+(?:приоритет|срочност|важност)\\p{L}*|по\\s+убыванию\\s+приоритет\\p{L}*",
  },
  {
    value: "oldest",
    source:
      "oldest|earliest|old(?:est)?\\s+first|least\\s+recent|old" +
      "|сам\\p{L}*\\s+(?:стар|ранн|давн)\\p{L}*|старейш\\p{L}*|сначала\\s+(?:стар|ранн)\\p{L}*|стар(?:ые|ых|ый|ую)|давн(?:ие|их|ий|ишн\\p{L}*)|ранние|ранних",
  },
  {
    value: "newest",
    source:
      "newest|latest|most\\s+recent(?:ly\\s+created)?|recent(?:ly\\s+created)?|new(?:est)?\\s+first|last|fresh(?:est)?|new" +
      "|сам\\p{L}*\\s+(?:нов|свеж|последн)\\p{L}*|новейш\\p{L}*|свеж\\p{L}*|последн\\p{L}*|недавн\\p{L}*|сначала\\s+нов\\p{L}*|нов(?:ые|ых|ый|ую|ое)",
  },
];

/** Russian labels for enum values, used in Russian answers. */
export const RU_LABELS: Record<string, string> = {
  open: "открыт",
  in_progress: "в работе",
  pending: "в ожидании",
  closed: "закрыт",
  rejected: "отклонён",
  critical: "критический",
  high: "высокий",
  medium: "средний",
  low: "низкий",
  authentication: "аутентификация",
  billing: "оплата",
  feature: "новые функции",
  technical: "техническая",
  security: "безопасность",
};

/** English labels: the enum values, readable. */
export const EN_LABELS: Record<string, string> = { in_progress: "in progress" };
