"""English function words for reading goals: how requests start, which verbs carry no capability, pleasantries,
and a small stopword profile of other languages (the offline planner reads English; it says so otherwise).

Nothing here names a skill: what a request is *for* comes from the workers' cards.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zà-ÿß']+", re.I)


def words_of(text: str) -> list[str]:
    return [w.strip("'") for w in _WORD.findall(text.lower()) if w.strip("'")]


# Verbs that open a request ("Compute ...", "order a pizza ..."): capability verbs and light ones.
_ASKING_VERBS = frozenset(
    """
    add aggregate analyse analyze answer arrange assess average book bring buy calculate call cancel capitalize
    chart check classify code combine compare compile compose compute condense contact convert count create
    critique debug define delete deliver derive describe design detect determine divide do download draft draw
    drive edit email estimate evaluate execute explain express extract fetch figure filter find fix forecast
    format generate get give go graph group guess help highlight hire identify implement inform install invite
    join judge keep list locate look make measure merge message multiply name note notify order outline page paint
    paraphrase pay phone pick ping place plan play plot post predict prepare print produce profile proofread provide
    publish pull purchase put rank rate read recommend reduce remind rephrase report rent research reserve
    retrieve return reverse review rewrite ring round run say schedule score search select sell send set share
    ship shorten show simplify sing sort spell split state subtract suggest sum summarise summarize tabulate
    take tally tell text total transcribe transfer translate turn tweet uppercase lowercase upload use visit
    visualize visualise watch wire work write
    """.split()
)

# Verbs that say nothing of the capability needed ("give me the mean", "tell me ...", "find the average").
LIGHT_VERBS = frozenset(
    "bring check clarify define do elaborate explain find get give go help keep let look make need pick please "
    "provide pull put return run say show take tell turn use work want".split()
)

# Verbs that ask for a capability of their own (acting in the world, or transforming text in a specific way):
# where no card advertises the verb, no skill can do it, however close its words are ("translate" is not
# "summarize"). Other verbs ("draft", "tally", "determine") are judged by meaning, words and shape alone.
ACTION_VERBS = frozenset(
    """
    alert book browse buy call cancel capitalize code contact debug delete deliver deploy download draw drive edit email
    execute fix hire implement install invite lowercase mail message notify order page paint paraphrase pay phone
    ping place
    play post print proofread publish purchase remind rent rephrase reserve reverse rewrite ring schedule sell
    send share ship sing spell text transcribe transfer transform translate tweet upload uppercase visit watch wire
    renew subscribe unsubscribe register enrol enroll refund fax courier photocopy laminate forward reorder submit
    reply whatsapp message sign
    """.split()
)
REQUEST_VERBS = _ASKING_VERBS | ACTION_VERBS  # an action asked for ("renew my insurance") is a request too

# Nouns that name one of those capabilities, or a product no analysis makes ("a French translation of this",
# "a haiku about the review"): asked for as a thing, they count as the verb (or the thing) itself.
ACTION_NOUNS = {
    "translation": "translate", "translations": "translate", "booking": "book", "reservation": "reserve",
    "delivery": "deliver", "payment": "pay", "transcription": "transcribe", "transcript": "transcribe",
    "paraphrase": "paraphrase", "rewrite": "rewrite", "reminder": "remind", "invitation": "invite",
    "invite": "invite", "poem": "poem", "haiku": "haiku", "limerick": "limerick", "song": "song", "joke": "joke",
    "story": "story", "image": "image", "picture": "picture", "drawing": "draw", "logo": "logo", "video": "video",
    "playlist": "playlist", "slogan": "slogan", "tagline": "tagline", "tweet": "tweet",
}  # fmt: skip

# Units of measure, for the shape of a conversion ("72 F to C", "how many seconds in a week")
UNIT = (
    r"(?:°\s?[cfk]\b|[cfk]\b|degrees?(?:\s+(?:celsius|fahrenheit|kelvin|c|f))?|celsius|fahrenheit|kelvin|"
    r"km|kilomet(?:er|re)s?|centimet(?:er|re)s?|millimet(?:er|re)s?|met(?:er|re)s?|cm|mm|miles?|mi|ft|feet|foot|"
    r"inch(?:es)?|yards?|yd|"
    r"kgs?|kilograms?|kilos?|grams?|g|mg|milligrams?|mcg|µg|micrograms?|lbs?|pounds?|oz|ounces?|stones?|tons?|tonnes?|"
    r"l|lit(?:er|re)s?|ml|millilit(?:er|re)s?|gallons?|gal|quarts?|pints?|cups?|tablespoons?|teaspoons?|tbsp|tsp|"
    r"mph|km/h|kph|knots?|m/s|milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"bytes?|[kmgtp]i?b|bits?|(?:kilo|mega|giga|tera|peta|kibi|mebi|gibi|tebi)(?:bytes?|bits?)|[kmgtp]bit|"
    r"acres?|hectares?|ha|(?:square|sq|cubic)\s+[a-z]+|[ck]?m[23²³])"
)

QUESTION_WORDS = frozenset(
    "what what's whats how how's which who whom whose when where why is are does do did can could would will "
    "should".split()
)

# Openers stripped before reading a request ("could you please ...").
POLITE = (
    "please",
    "kindly",
    "can you",
    "could you",
    "would you",
    "will you",
    "can you please",
    "can u",
    "could u",
    "pls",
    "plz",
    "could you please",
    "i need you to",
    "i want you to",
    "i'd like you to",
    "i would like you to",
    "i'd like to",
    "i need",
    "we need",
    "i want",
    "we want",
    "i'd like",
    "i would like",
    "i'd love",
    "i would like to",
    "i want to",
    "i need to",
    "help me",
    "i'd love it if you could",
    "i would love it if you could",
    "i'd love to know",
    "i would love to know",
    "i'd like to know",
    "i was hoping you could",
    "i'm hoping you can",
    "i am hoping you can",
    "i wonder if you could",
    "i was wondering if you could",
    "any chance you could",
    "is there any chance you could",
    "do you think you could",
    "would you mind",
    "would it be possible to",
    "is it possible to",
    "let me know",
    "hey",
    "hi",
    "hello",
)

_LONGEST_FIRST = sorted(POLITE, key=len, reverse=True)  # "i'd love it if you could" before "i'd love"

_PLEASANTRY = re.compile(
    r"^(?:thanks?(?: you)?(?: (?:so|very) much)?|thank you in advance|cheers|many thanks|much appreciated|"
    r"please|ok(?:ay)?|hi|hello|hey(?: there)?|good (?:morning|afternoon|evening)|regards|best|ty|thx)[\s!.,]*$",
    re.I,
)


_LEADING = re.compile(
    r"^(?:(?:and|also|plus|then|next|finally|lastly|additionally|moreover|ok|okay|so|now|meanwhile|actually|"
    r"first|firstly|second|secondly|third|thirdly|fourth|last|after|afterwards|later|separately|but|however|btw|"
    r"anyway|oh|too|unrelated|different question|another thing|on another note|one more thing)\b[,:]?\s*)+",
    re.I,
)
LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")  # "1. ", "2) ", "- ", "* ", "• "


_COURTESY = re.compile(
    r"^(?:if (?:it(?:'s| is| isn't| is not)|that(?:'s| is)) (?:not )?too much (?:trouble|bother)|"
    r"if (?:you )?(?:can|could|possible|you don't mind|you have a (?:minute|moment|sec(?:ond)?))|"
    r"when you (?:get|have) a (?:chance|minute|moment)|whenever you can)\s*,?\s*",
    re.I,
)


# a clause on what the asker is about to do, before the colon that opens the request itself
_LEAD_IN = re.compile(
    r"(?:(?:before|after|since|as|while|until|once|because|now that)\s+(?:i|we)(?:'m|'re|'ve|'ll)?\s+[^:?\d\n]{0,60}|"
    # "Member asked me 3 things at the front desk lol:": what follows is the list of them
    r"[^:?\n]{0,60}?\b(?:\d|two|three|four|five|six|a few|a couple of|some|several)\s+(?:quick\s+|more\s+|little\s+)?"
    r"(?:things|questions|qs|ones|items|sums|conversions|calculations|asks|requests)\b[^:?\n]{0,40}):\s+",
    re.I,
)


_ANNOUNCED = re.compile(
    r"\b(?:\d|two|three|four|five|six|a few|a couple of|some|several)\s+(?:quick\s+|more\s+|little\s+)?"
    r"(?:things|questions|qs|ones|items|sums|conversions|calculations|asks|requests)\b",
    re.I,
)


def strip_polite(text: str) -> str:
    """The request without its openers: "and", "also", "then", "could you please", "I'd like you to", "if it
    isn't too much trouble,"."""
    stripped = _COURTESY.sub("", _LEADING.sub("", text.strip()))
    you = re.match(r"you\s+(\w+)", stripped, re.I)
    if you and you.group(1).lower() in REQUEST_VERBS:  # "please you write me ...": a learner's imperative
        stripped = stripped[you.start(1) :]
    lead_in = _LEAD_IN.match(stripped)
    if lead_in and (starts_request(stripped[lead_in.end() :]) or _ANNOUNCED.search(lead_in.group(0))):
        # "Before I file this: what's the word count ...?"; "Payroll prep, three quick ones please: annual hours
        # for ...": the announcement of a list, whatever its first item opens with
        return strip_polite(stripped[lead_in.end() :])
    lowered = stripped.lower()
    for prefix in _LONGEST_FIRST:
        if lowered.startswith(prefix + " "):
            return strip_polite(stripped[len(prefix) + 1 :])
    return stripped


def starts_request(text: str) -> bool:
    """Whether `text` opens with a request verb or a question word (after its openers); a verb that is the
    subject of the next word ("show runs 2h 35m", "total was 500", "report says") opens no request."""
    words = words_of(strip_polite(text))
    if len(words) > 1 and words[0] in REQUEST_VERBS and words[1] in _AFTER_A_SUBJECT:
        return False
    if len(words) > 2 and words[0] in REQUEST_VERBS and words[2] in _AFTER_A_SUBJECT and words[1] not in _OBJECTS:
        return False  # "Round trip is 84 miles", "Order total was 212": a noun of two words, the subject
    return bool(words) and (words[0] in REQUEST_VERBS or words[0] in QUESTION_WORDS)


_OBJECTS = frozenset("it this that these those them me us him her the a an my our your all each every".split())
_AFTER_A_SUBJECT = frozenset(
    "is was are were has had runs ran says said takes took lasts lasted looks needs costs cost starts started ends "
    "ended came went will would should".split()
)


def is_pleasantry(text: str) -> bool:
    return bool(_PLEASANTRY.match(text.strip()))


_OTHER_LANGUAGES = {
    "German": set(
        "der die das und ist nicht ich bitte wie viel was mit für auf ein eine einen zu von den dem des "
        "berechne fasse zusammen übersetze schreibe sind wird".split()
    ),
    "French": set(
        "le la les et est une des du pour avec ce cette qui que combien quelle quel je vous s'il plaît "
        "calcule résume traduis écris sont".split()
    ),
    "Spanish": set(
        "el la los las y es una del para con que cuánto cuál cuanto por favor calcula resume traduce "
        "escribe son está".split()
    ),
    "Italian": set("il lo gli e è una per con che quanto quale calcola riassumi traduci scrivi sono".split()),
    "Portuguese": set("o os as e é uma do da para com que quanto qual por favor calcule resuma traduza são".split()),
    "Dutch": set("de het een en is niet ik voor met wat hoeveel bereken vat samen vertaal schrijf zijn".split()),
}
_ENGLISH = set(
    "the a an and is are of to in for with what how much many please this that it me my you your be by on from "
    "then also compute calculate convert write summarize search find give".split()
)


def language_of(text: str) -> str:
    """ "English", or the name of the other language whose function words clearly dominate the text."""
    words = words_of(text)
    if len(words) < 2:
        return "English"
    english = sum(w in _ENGLISH for w in words)
    best, count = max(
        ((name, sum(w in vocab for w in words)) for name, vocab in _OTHER_LANGUAGES.items()), key=lambda item: item[1]
    )
    return best if count >= 2 and count > english * 1.5 else "English"


# Everyday phrasings of common text tasks, with the words cards use for them: matched requests get those words
# added ("boil this down" reads as "summarize"), so a card that says "summarize" is found by either wording.
EVERYDAY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), words)
    for pattern, words in (
        (
            r"\b(?:sum(?:s|med|ming)? (?:it |this |that |them )?up|gist|boil\w* (?:\w+ )?down|tl;?dr|recap\w*|"
            r"in a nutshell|short version|condense|r[eé]sum[eé] of|main points|key points|cliff ?notes|"
            r"shorter version|digest)\b",
            "summarize summary",
        ),
        (r"^\s*(?:explain|describe)\s+(?:to me\s+)?(?:what|how|why|when|which)\b", "answer question"),
        (r"\b(?:add(?:ed|ing|s)?\s+(?:\w+\s+)?up|totall?ed(?:\s+up)?|tall(?:y|ied))\b", "sum total"),
        (
            r"\b(?:(?:top|most (?:common|frequent|used)|commonest)\s+(?:\d+\s+)?(?:words|terms)|word frequenc\w*)\b",
            "keywords",
        ),
        (r"\b(?:key ?words|kws?|key terms|main terms|tags|hashtags|buzzwords|main topics)\b", "keywords"),
        (
            r"\b(?:tone|mood|vibe|feel(?:ing)?s?|positive or negative|negative or positive|happy or|angry|upset|"
            r"pleased|(?:is|sounds?|reads?|comes? across as|seems?)\s+(?:positive|negative|upbeat)|"
            r"how (?:negative|positive|angry|upset|happy|annoyed|cross|bad|harsh|nice|kind|rude)\s+(?:is|was|does)|"
            r"(?:is|was|are|were)\s+(?:it|this|that|they|these|those)\s+(?:really\s+|mostly\s+|too\s+|that\s+|so\s+|as\s+)?"
            r"(?:an?\s+)?(?:nice|kind|friendly|rude|mean|polite|harsh|warm|sweet|nasty|hostile|passive[- ]aggressive|"
            r"bad|good|positive|negative|glowing|scathing|complaints?|praise))\b",
            "sentiment",
        ),
        (
            r"\bhow (?:does|do|did|will|would) (?:it|this|that|they|these) (?:come across|sound|read|land)\b",
            "sentiment",
        ),
        (r"^\s*(?:jot|scribble|dash off|whip up|knock up|knock together|throw together|put together|pen)\b", "write"),
        (  # "turn that into a short note for the parents", "make it into an email"
            r"\b(?:turn|make|put|write)\s+(?:it|that|this|them|those|these|the \w+)\s+(?:up\s+)?(?:into|in|as)\s+"
            r"(?:an?\s+)?(?:\w+\s+){0,2}?(?:note|email|e-mail|letter|message|memo|paragraph|post|update|blurb|"
            r"announcement|write-?up)\b",
            "write report",
        ),
        (
            r"\b(?:word count|how many (?:words|sentences|characters|letters|paragraphs)|how long is (?:this|the|my)|"
            r"reading level|reading ease|flesch|readability|grade level|"
            r"how (?:easy|hard) (?:is it )?to read)\b",
            "text stats words readability sentences",
        ),
    )
)


def with_task_words(text: str) -> str:
    """`text` followed by the task words of the everyday phrasings it uses (see `EVERYDAY`)."""
    added = [words for pattern, words in EVERYDAY if pattern.search(text)]
    return f"{text} {' '.join(added)}" if added else text


# actions on people and things outside the network, which no table or number makes an analysis ("order by
# price" sorts and "print the mean" shows, so those two count only with what marks them as actions)
_IN_THE_WORLD = re.compile(
    r"\s*(?:send|email|e-mail|mail|text|whatsapp|message|call|phone|ring|page|buy|purchase|pay|transfer|wire|remind|"
    r"schedule|post|"
    r"book(?=\s+(?:me|us|him|her|them|a|an|the|my|our|two|three|\d+|tickets?|flights?|tables?|rooms?|hotels?|"
    r"appointments?|seats?|taxis?|cabs?)\b)|"
    r"publish|tweet|ship|deliver|fax|forward|renew|reorder|refund|invite|notify|courier|submit|upload|"
    r"sign(?=\s+(?:up|me|us|him|her|them|it|the|this|that|off|for)\b)|enrol|enroll|register(?=\s+(?:me|us|him|her|them)\b)|"
    r"(?:cook|bake|repair|fix|clean|mow|water|paint)(?=\s+(?:the|my|our|her|his|a|an|dinner|lunch|breakfast)\b)|"
    r"reply(?=\s+(?:to|on)\b)|"
    r"order(?!\s+(?:by|them|these|those|it|the\s+\w+\s+by)\b)|"
    r"print(?=\s+(?:it|them|this|that|out|copies|a\s+copy|\d+|two|three)\b|[^.?!]*\bfor\s+(?:my|the|our|her|his)\b))\b",
    re.IGNORECASE,
)


def acts_in_the_world(text: str) -> bool:
    """Whether a request does something outside the network (sends, calls, books, posts): nothing to work on
    comes out of it."""
    return bool(_IN_THE_WORLD.match(strip_polite(text)))
