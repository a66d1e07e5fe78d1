"""Which advertised skill serves a request, or none: offline selection with a notion of "none fits".

Three kinds of evidence, all read from the cards (a third-party agent's skill is matched on the same footing
as ours):
- **meaning**: semantic similarity of the request to the skill's description, name and tags, and to each of
  its examples (the `Similarity` port);
- **words**: the lexical overlap of `selection.lexical_score` (id, name, tags, description, examples);
- **shape**: what the request carries (an arithmetic expression, a unit conversion, a list of numbers, a
  table, a passage of text) against what the skill's own examples carry.
A request whose capability verb ("translate", "book", "reverse") appears nowhere in the roster, or whose
thing to make ("a poem", "an email") is not what the skill makes, is marked down. Below `THRESHOLD` the
request is unserved, with a reason, instead of going to the least bad worker.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import (
    ACTION_NOUNS,
    ACTION_VERBS,
    LIGHT_VERBS,
    QUESTION_WORDS,
    REQUEST_VERBS,
    UNIT,
    acts_in_the_world,
    strip_polite,
    with_task_words,
    words_of,
)
from .material import OPEN, Span, mask_data
from .models import Skill, Worker
from .selection import lexical_score, modes_fit, stem, terms
from .semantic import Similarity

# Measured over evals/ (193 goals): requests of goals nothing can serve score at most 0.20 (weather, news,
# jokes), bar the ones the action-verb and language rules catch; 0.22 keeps every library question and every
# request a worker serves right above it.
THRESHOLD = 0.22

_NUMBER_WORD = r"(?:\d[\d.,]*|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred)"
_EXPRESSION = re.compile(
    rf"{_NUMBER_WORD}\s+times\s+(?:\(|{_NUMBER_WORD})|"  # "5 times 6", not "resolution times"
    # "Multiply 48 by 37", "divide 90 by 4", "subtract 17 from 60"
    r"\b(?:multiply|divide|add|subtract|take)\s+[$€£]?\d[\d.,]*\s+(?:by|and|to|from|with|away from)\s+[$€£]?\d|"
    r"\b(?:multiply|divide)\s+(?:it|that|this|(?:the|that|this)\s+\w+|(?:that|the)\s+(?:number|amount)\s+of\s+\w+)\s+by\s+\d|"
    r"\d[\d.,]*\s+(?:[a-z]+\s+){1,2}(?:x|×)\s+[$€£]?\d|"  # "38 members x 15 pounds"
    rf"(?:\d[\d,]*|\b{_NUMBER_WORD})(?:\s+|-)(?:[A-Za-z-]+\s+){{0,3}}?(?:at|for|@)\s+[$€£]?\d[\d.,]*\s*(?:[A-Za-z]+\s+)?"
    r"(?:each|apiece|a piece|per (?!hour|h\b|hr|minute|min\b|second|sec\b)[a-z]+)\b|"  # 86 tables at 1,250 each
    r"\d\s*(?:[-+*/^×x%]|\*\*)\s*[\d(]|\(\s*\d|\b(?:divided by|divide by|multiplied by|plus|minus|to the power|"
    r"squared|cubed|square root|cube root|sqrt|factorial|modulo|mod)\b|"
    r"\d\s*(?:%|percent|per cent)\s*(?:[a-z-]+\s+){0,2}(?:of|off|on|to|from|added|more|less|tax|vat|tip|"
    r"discount|interest|markup|commission|fee|surcharge|increase|decrease|rise|drop)\b|"
    r"\bas a percentage\b|\b(?:half|double|twice|triple) of\b|\d\s*!|"
    r"\d[\d.]*\s*%\s*(?:uptime|availability|sla)\b|\b(?:downtime|uptime)\b[^.?]*\d|"  # 99.95% uptime allows
    r"\d\s+to\s+the\s+\d+(?:st|nd|rd|th)\b|"  # 2 to the 20th
    # arithmetic on an earlier result: "multiply that by 4", "add 10 to it", "double the total"
    r"\b(?:multiply|divide)\s+(?:it|that|this|them|the\s+\w+)\s+by\s+[$€£]?\d|"
    r"\b(?:add|subtract|take)\s+\d[\d.,]*\s+(?:to|from)\s+(?:it|that|this|them|the\s+\w+)\b|"
    r"\b(?:double|triple|halve|square)\s+(?:it|that|this|them|the\s+(?:result|answer|total|number|sum))\b|"
    # a change in percent: "went from $1,200 to $1,380 ... by what percent", "the percentage increase from 80 to 100"
    r"\bfrom\s+[$€£]?\d[\d,.]*\s+to\s+[$€£]?\d[^?]*\b(?:percent|percentage|%)|"
    r"\b(?:percent|percentage)\s+(?:change|increase|decrease|growth|rise|drop|difference)\b[^?]*\d|"
    # an earlier result shared out: "split the result into 8 equal portions", "divide it between 4 people"
    r"\b(?:split|divide|share)\s+(?:it|that|this|them|the\s+(?:result|answer|total|sum|amount|number))\s+"
    r"(?:\w+\s+)?(?:into|between|among|amongst|by)\s+(?:\d|two|three|four|five|six|seven|eight|nine|ten)|"
    # "if I raise the rent by 3.5%", "cut it by 12%"
    r"\b(?:rais|increas|bump|hik|boost|cut|reduc|lower|decreas|drop|discount)\w*\s+(?:[a-z]+\s+){0,3}?by\s+"
    r"\d[\d.]*\s*(?:%|percent|per cent)",
    re.I,
)
# the time of a trip: "the run is 380 miles and the driver averages 55 mph, how many hours is that?"
_TRIP = (
    r"(?=[^?]*\bhow (?:long|many (?:hours|minutes|mins|days))\b)[^?]*\d\s*(?:mph|km/h|kmh|kph|"
    r"(?:miles?|km|kilomet(?:er|re)s?)\s+(?:per|an|a)\s+hour)\b"
)
# a calculation told as a story: "36 lattes come to?", "split 4 ways", "14 kids each get 3", "how many are left"
_WORD_PROBLEM = re.compile(
    r"\bhow far (?:can|could|will|would|do|does|did|should)\b|"  # "... 6.5 litres per 100 km. how far can I go?"
    r"\d\s*(?:l|litres?|liters?)\s*(?:per|/|every|a)\s*100\s*(?:km|kilomet\w*)\b[^?]*\bhow much\b|"  # fuel for a trip
    # "if I type at 40 words per minute, how many minutes would a 1500 word essay take"
    r"\d[\d.,]*\s*[a-z]+\s+(?:per|a|an|each)\s+(?:second|minute|hour|day|week)\b[^?]*\bhow (?:many|long)\b|"
    r"\b(?:split|divide|share)\s+[$€£]?\d[\d.,]*\s+(?:between|among|amongst|across)\s+\d|"  # split 47.60 between 4
    r"\bsplit\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+ways\b|"
    r"\beach\s+(?:get|gets|has|have|need|needs|cost|costs|pay|pays|eat|eats|take|takes)\s+\d|"
    r"\bhow (?:much|many)\b[^.?]*\b(?:left|remain\w*|in total|altogether|in all|each|come to|cost|"
    r"(?:do|will|would|should)?\s*(?:i|we) need)\b|"
    r"\bwhat (?:do|does|would|will|did|should)\b[^.?]*\b(?:cost|charge|bill|invoice)\b|"
    r"\bwhat (?:do|does|would|will|did)\s+(?:that|it|this|they|those|the\s+\w+)\s+(?:all\s+)?"
    r"(?:come|add up|amount)\s+to\b|"
    r"\bat\s+[$€£]?\d[\d.,]*\s*(?:a|per|each|/)\s*(?:head|person|guest|plate|cover|seat|ticket)\b|"
    r"(?:[$€£]|\b(?:eur|usd|gbp|cad|aud|chf)\b)\s*\d[\d.,]*\s*(?:\s(?:a|an|per|each)\s+|/\s*)[a-z]+|"
    r"\b\d+\s+(?:laps|lengths|rounds|circuits|loops|trips)\s+(?:of|around|round)\s+(?:an?|the)\s+\d|"  # of a 25 m pool
    r"\d\s*(?:w|watts?|kw|kilowatts?)\b[^?]*\bkwh\b|\brunway\b|"
    # a rate, not a mean: "his average speed", "my pace"; money that grows: "4.2% a year, compounded yearly"
    r"\b(?:average|mean)\s+(?:speed|pace|velocity)\b|\bpace\b|\bcompound(?:ed|ing)?\b|\bbmi\b|\bbody mass index\b|"
    r"\d[\d.]*\s*(?:m|cm|mm|km|ft|feet|in|inches|yd|yards|met(?:er|re)s?)\s+(?:by|x|×)\s+\d|"  # a wall 4.2 m by 2.6 m
    r"\b(?:covers?|enough for)\s+(?:about\s+|roughly\s+)?\d[\d.]*\s*(?:square|sq|m2|m²|ft2)|"
    r"\b\d[\d.,]*\s*(?:mg|mcg|g|ml|units?)\s+(?:per|a|/)\s*kg\b|"  # "15 mg per kg" of a weight: a dose
    # "polls every 2.5 seconds for 3 minutes, how many requests?": how many times
    r"\bevery\s+\d[\d.]*\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\b[^?]*\bhow many\b|"
    r"\bhow many\s+[a-z]+\s+(?:per|an?|each|every)\s+[a-z]+\b|"  # "how many words per hour is that?"
    # "the hose runs 12 litres a minute, how long to empty it": an amount at a rate
    r"\d[\d.,]*\s*[a-z]+\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|week)s?\b[^?]*\bhow long\b|"
    r"\bhow long\b[^?]*\d[\d.,]*\s*[a-z]+\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|week)s?\b|"
    rf"{_TRIP}|"
    # a count at a price in cents: "4 tubes at 6.99", "3 m at 12.40 a metre"
    r"\b\d[\d.,]*\s*[a-z]+\s+at\s+[$€£]?\d+\.\d{2}\b|"
    # a rate per period times the periods: "8 hours at 15.75 an hour"
    r"\d[\d.,]*\s*(?:hours?|hrs?|days?|nights?|shifts?|weeks?|months?|sessions?|lessons?)\b[^?]*?\bat\s+[$€£]?\d[\d.,]*"
    r"\s*(?:an?|per|/|each)\s*(?:hour|hr|h|day|night|shift|week|month|session|lesson)\b|"
    # a length of time repeated: "show runs 2h 35m and we have 8 performances, total running time?"
    r"\d\s*(?:h|hrs?|hours?)\s*(?:and\s+)?\d+\s*(?:m|mins?|minutes?)\b[^?]*\b(?:total|in all|altogether|combined)\b|"
    # rates that multiply out: "4 trips a day at 23.5 km per trip ... 180 school days"
    r"\d[\d.,]*\s*(?:[a-z]+\s+(?:a|an|per|each|every)|per)\s+(?P<per>[a-z]{3,}?)(?:e?s)?\b.*?"
    r"\b\d[\d.,]*\s*(?:[a-z]+\s+){0,2}(?P=per)(?:e?s)?\b",
    re.I,
)
_PER_ONE = re.compile(r"\b(?:average|mean)\s+(?:[a-z]+\s+)?(?:per|an?|each)\s+[a-z]+", re.I)
_CONVERSION = re.compile(
    rf"\d[\d.,]*\s*{UNIT}\s+(?:to|in|into|as)\s+{UNIT}(?![a-z])|"
    # "2.5 cups of flour in grams"
    rf"\d[\d.,]*\s*{UNIT}\s+of\s+[a-z]+\s+(?:is\s+|are\s+)?(?:to|in|into|as)\s+{UNIT}(?![a-z])|"
    rf"\bhow many\s+{UNIT}\s+(?:[a-z]+\s+){{0,2}}(?:in|is|are|make|per|for)\b[^?]*(?:\d|\b(?:a|an|one)\s+{UNIT})|"
    # "How many weeks until a baby due in 196 days?"
    rf"\bhow many\s+{UNIT}\s+(?:until|till|before|left|away)\b[^?]{{0,40}}?\b\d[\d.,]*\s*{UNIT}(?![a-z])|"
    rf"\d[\d.,]*\s*{UNIT}\b[^?]*\bhow many\s+{UNIT}|"  # "250 grams of flour ... how many ounces is it?"
    rf"\bhow many\s+{UNIT}\s+(?:(?:is|are|in|make|makes)\s+)?(?:an?\s+)?\d[\d.,]*\s*{UNIT}|"  # kilograms 185 pounds is
    rf"\bhow (?:long|far|heavy|much|big|fast)\s+in\s+{UNIT}\s+(?:is|are)\s+\d[\d.,]*\s*{UNIT}|"  # in minutes is 2 h
    rf"\b(?:number|amount) of\s+{UNIT}\s+(?:in|per)\s+(?:an?\s+|one\s+)?(?:\d[\d.,]*\s*)?{UNIT}(?![a-z])|"
    # "18,500 square feet and the investors want it in square metres"
    rf"\d[\d.,]*\s*{UNIT}\b[^?]*\b(?:it|that|this|them|those)\s+(?:in|into|to)\s+{UNIT}(?![a-z])|"
    # an earlier result in other units: "what is that average in miles?"
    rf"\b(?:what(?:'s| is)|convert|express|give me|show|turn|change|make|put)\s+(?:that|this|the|it)\s+(?:[a-z]+\s+)?"
    r"(?:in|into|to)\s+"
    rf"{UNIT}(?![a-z])|"
    # "convert" alone, unless into a form of text ("convert this into bullet points" is an outline)
    r"\bconvert\b(?![^.?]*\b(?:bullet|bullets|list|points|outline|summary|table|paragraph|json|csv|markdown|html|"
    r"pdf|format|prose|sentences?|words|report)\b)",
    re.I,
)
_SAME_UNIT = re.compile(
    rf"\d[\d.,]*\s*(?P<unit>{UNIT})\b[^?]*\bhow many\s+(?P=unit)\b|"
    # "how many mg in total is 120 tablets of 0.25 mg"
    rf"\bhow many\s+(?P<asked>{UNIT})\b[^?]*\d[\d.,]*\s*(?P=asked)\b",
    re.I,
)
_NUM = r"[-+]?\d+(?:\.\d+)?"
_NUMBER_TOKEN = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?:[kKmM]|bn|mn)?(?![\w.])")  # "$1.26M" counts
_LIST = re.compile(
    rf"{_NUM}(?:\s*(?:,|;|\band\b|,\s*and\b)\s*{_NUM}){{2,}}|(?:^|\n)\s*{_NUM}(?:\s*\n\s*{_NUM}){{2,}}|"
    rf"(?<![\w.]){_NUM}(?:[ \t]+{_NUM}){{3,}}(?![\w.])"
)
_NAMED_ELSEWHERE = re.compile(
    r"\bonly\s+(?:shows?|does|reads?|has|uses?|measures?|knows?|displays?|works?|takes?|accepts?|understands?)\b|"
    r"\bwhat\s+(?:setting|temperature|reading|number|figure|value)\s+(?:do|should|would|shall)\b",
    re.I,
)
_RATE_AND_COUNT = re.compile(
    r"(?<![\w.])(?P<n>\d+)\s+(?P<p>day|week|month|year|shift|session|trip|hour)s?\b[^?.;]*?"
    r"\d[\d.,]*\s*[a-z]+\s+(?:a|an|per|each|every)\s+(?P=p)\b|"
    r"\d[\d.,]*\s*[a-z]+\s+(?:a|an|per|each|every)\s+(?P<q>day|week|month|year|shift|session|trip|hour)\b[^?.;]*?"
    r"(?<![\w.])\d+\s+(?P=q)s?\b",
    re.I,
)
_AT_A_RATE = re.compile(
    r"\b(?:how (?:many|much|long)|work out|calculate|figure out)\b[^?]*\bat\s+(?:(?:our|my|a|the|an|your)\s+)?"
    r"(?:[a-z]+\s+)?(?:of\s+)?\d[\d.,]*\s*[a-z]+\s*(?:per|a|an|each|/)\s*[a-z]+",
    re.I,
)
_RATE_OVER_A_PERIOD = re.compile(
    r"\d[\d.,]*\s*[a-z]+(?:\s+of\s+\w+)?\s+(?:(?:once|twice|thrice|\d+\s+times)\s+)?(?:a|an|per|every|each)\s+"
    r"(?:day|morning|evening|night|week|month)\b[^?]*\b(?:in|over|for|across)\s+(?:a|an|one|the)\s+"
    r"(?:whole\s+|full\s+|entire\s+)?(?:day|week|fortnight|month|year)\b",
    re.I,
)
# an amount at a rate, extended over a period: "the gym costs 30 a month - what's that for a year?"
_OVER_A_PERIOD = re.compile(
    r"\d[\d.,]*\s*(?:[a-z]+\s+)?(?:a|an|per|each|every)\s+[a-z]+\b[^?]*\b(?:what(?:'s|s| is| does| would)?|how much)\s+"
    r"(?:is\s+|does\s+|would\s+)?(?:that|it|this)\b[^?.]*?\b(?:over|for|in|across)\s+(?:a|an|one|the|\d+|two|three|four|"
    r"five|six|seven|eight|nine|ten|twelve)\s+(?:full\s+|whole\s+)?(?:days?|weeks?|fortnights?|months?|quarters?|"
    r"years?|terms?|seasons?|semesters?)\b",
    re.I,
)
_PRICE_OF_RESULT = re.compile(
    r"\b(?:it|it's|its|that|them|this|those|these)\b[^?.]*?\bat\s+(?:[$€£]\s*\d[\d.,]*|\d[\d.,]*\s*(?:eur|usd|gbp|euros?|"
    r"dollars?|pounds?))\s*(?:a|an|per|each|/)\s*[a-z]+",
    re.I,
)
# "use that to work out how many degrees above 98.6 F it is": an earlier result's distance from a mark
_FROM_A_MARK = re.compile(
    r"\b(?:it|that|this|them)\b[^?.]*\bhow (?:many|much)\s+(?:[a-z°]+\s+){0,2}?(?:above|below|over|under|more than|"
    r"less than|higher than|lower than|warmer than|colder than)\s+[$€£]?\d|"
    r"\bhow (?:many|much)\s+(?:[a-z°]+\s+){0,2}?(?:above|below|over|under)\s+[$€£]?\d[^?.]*\b(?:it|that)\b",
    re.I,
)
_SLASHED_LIST = re.compile(rf"{_NUM}(?:\s+/\s+{_NUM}){{2,}}")
_OF_A_LIST = re.compile(r"\b(?:average|mean|median|avg|range|spread|standard deviation|stdev)\b", re.I)
_CREATION_VERBS = frozenset("write draft compose create generate produce prepare build design".split())
_FILLER = frozenset(
    "a an the me us my our your some few short brief quick detailed long simple small nice new one two three up out "
    "down together "
    "little full proper formal informal concise clear good single one-paragraph paragraph-long".split()
)

SALIENT = {
    "expression": 0.45,
    "conversion": 0.45,
    "table": 0.35,
    "numbers": 0.3,
    "text": 0.2,
    "rank": 0.15,
    "group": 0.15,
    "filter": 0.15,
    "profile": 0.15,
    "question": 0.15,
}
# how to read a table: salient only with one
_TABLE_MODIFIERS = frozenset({"rank", "group", "filter", "profile"})
# a look at the whole table: "an overview of each column", "describe the columns", "anything missing"
_PROFILE = re.compile(
    r"\b(?:each|every|all(?: the)?|describe(?: the)?)\s+columns?\b|\boverview\b|\bprofil\w*|\bsummary statistics\b|"
    r"\b(?:anything|what'?s|values?|cells?|data)\s+(?:is\s+|are\s+)?missing\b|"
    r"\bmissing (?:values|data|cells|entries)\b",
    re.I,
)
_FILTER = re.compile(
    r"\b(?:longer|shorter|taller|heavier|lighter|older|younger|bigger|smaller|faster|slower|cheaper|pricier|"
    r"higher|lower|earlier|later) than\b|"
    r"\b(?:over|under|above|below)\s+(?=[-$€£]?\d|(?:the\s+)?(?:average|mean|median)\b)|"  # not "all over the place"
    r"\b(?:more than|less than|greater than|fewer than|at least|at most|only|where|"
    r"filter\w*|keep only|exclude|excluding|contains?|starts? with)\b|[<>]=?|!=|==",
    re.I,
)
_WHICH_ROWS = re.compile(r"\bwhich\s+[a-z]+\s+(?:had|have|has|are|were|is|was|cost|got|scored|made)\b", re.I)
_RANK = re.compile(
    r"\b(?:most|least|highest|lowest|largest|smallest|biggest|top|top\d+|bottom|best|worst|cheapest|dearest|"
    r"greatest|fewest|max|min|maximum|minimum|sort(?:ed)?(?!\s+of\b)|order(?:ed)? by|rank(?:ed)?|slowest|fastest|"
    r"oldest|youngest|longest|shortest|newest|latest|earliest|heaviest|lightest|tallest|busiest|quietest)\b",
    re.I,
)
_GROUP = re.compile(
    r"\b(?:per|for each|for every|group(?:ed)? by|by (?:region|team|city|category|department|month|year|day|type|"
    r"product|country|store|customer|service))\b|\bby [a-z]\w*$|"
    r"\bwhich\s+\w+\b.*\b(?:in total|overall|altogether|combined|all together)\b|"  # which customer ... in total
    r"\beach\s+\w+\s+(?:had|has|have|got|made|sold|did|received|placed|earned|scored|produced|spent|used|"
    r"collected|harvested|shipped|brought)\b|"  # orders each store had
    r"\b(?:did|does|do)\s+each\s+(?!of\b|one\b|other\b)\w+\s+[a-z]+|"  # "how much honey did each apiary produce"
    r"\b(?:on|in|from|at)\s+each\s+(?!of\b|one\b|other\b)[a-z]+",  # "how many guests are on each side"
    re.I,
)
# "which team has the highest average velocity?": a ranking of groups, so a grouping first
_RANKED_AGGREGATE = re.compile(
    r"\bwhich\s+\w+\b.*\b(?:highest|lowest|largest|smallest|biggest|best|worst|most|least)\s+"
    r"(?:average|mean|total|sum|combined|median)\b|"
    # "which genre brought in the most money in total?": the top group of sums
    r"\bwhich\s+\w+\b.*\b(?:most|least|highest|lowest|largest|biggest)\b.*\b(?:in total|overall|altogether|combined|"
    r"all together)\b",
    re.I,
)
_NAMES_A_TABLE = re.compile(
    r"\b(?:spread)?sheet\b|\bcsv\b|\bexcel\b|\bxlsx\b|"
    r"\b(?:this|the|my|our|attached|following|these)\s+(?:\w+\s+){0,2}?(?:table|export|data ?set|rows|log|logs|"
    r"records|register|tracker)\b",
    re.I,
)
# what a skill's own words say it takes, for cards without (telling) examples
_DECLARED = (
    ("expression", re.compile(r"\b(?:arithmetic|expression|calculat\w*|math\w*|equation)", re.I)),
    ("conversion", re.compile(r"\b(?:convert\w*|conversion|units?)\b", re.I)),
    ("numbers", re.compile(r"\b(?:statistic\w*|numbers|mean|median|average)\b", re.I)),
    ("table", re.compile(r"\b(?:tables?|csv|rows|columns|spreadsheet)\b", re.I)),
    ("text", re.compile(r"\b(?:texts?|passages?|summar\w+|sentiment|keywords|material|notes|prose)\b", re.I)),
    ("rank", re.compile(r"\b(?:top[- ]n|sort\w*|highest|lowest|rank\w*)\b", re.I)),
    ("group", re.compile(r"\b(?:group\w*|aggregat\w*|per group)\b", re.I)),
)


# a yes-or-no question about how things work (not "can you ...", a request, which strip_polite takes away)
_YES_NO = re.compile(
    r"\s*(?:can|could|should|may|must|do|does|did|is|are|will|would)\s+(?!you\b)[a-z]+\b[^?]*\?", re.IGNORECASE
)


def shapes(text: str, spans: Sequence[Span] = (), *, attachments: Sequence[str] = ()) -> frozenset[str]:
    """What a request carries: expression | conversion | numbers | table | text."""
    found: set[str] = set()
    bare = re.sub(OPEN + r"\d+\ue001", " ", text)
    bare = re.sub(r"\b\d+(?:x\d+)+[a-z]+\b", " ", bare, flags=re.I)  # a size or a part code ("700x25c"), no product
    bare = re.sub(
        r"\b(?:US|U\.S\.|UK|imperial)\s+(?=gallons?|pints?|quarts?|cups?|fl|fluid|tons?)", "", bare, flags=re.I
    )
    if _EXPRESSION.search(bare) or (_WORD_PROBLEM.search(bare) and len(_NUMBER_TOKEN.findall(bare)) >= 2):
        found.add("expression")
    if _AT_A_RATE.search(bare) and len(_NUMBER_TOKEN.findall(bare)) == 1:
        found.add("expression")  # "then work out the cooking time at 40 minutes per kilogram": an earlier result
    if _PRICE_OF_RESULT.search(bare) or _FROM_A_MARK.search(bare):
        found.add("expression")  # "then work out what it's worth at €1.20 per kg": a price times an earlier result
    if _NAMED_ELSEWHERE.search(bare) and re.search(rf"\d[\d.,]*\s*{UNIT}(?![a-z])", bare, re.I):
        found.add("conversion")  # "-18 °C ... the form only takes Fahrenheit, so what number do I put down?"
    if _RATE_AND_COUNT.search(bare):
        found.add("expression")  # "annual hours for 52 weeks at 37.5 hours a week": a rate times a count
    over_a_period = bool(_RATE_OVER_A_PERIOD.search(bare))
    if over_a_period:
        found.add("expression")  # "eats 180 g of food twice a day. How many grams ... in a week?"
    if _OVER_A_PERIOD.search(bare) and _NUMBER_TOKEN.search(bare):
        found.add("expression")  # "7.25 a session, twice a week - what's that over 6 weeks?": a rate times a period
    if _PER_ONE.search(bare) and len(_NUMBER_TOKEN.findall(bare)) == 2:
        found.add("expression")  # "2.3M downloads across 48 episodes, what's the average per episode?": a division
    if _RANK.search(bare):
        found.add("rank")
    if _GROUP.search(bare):
        found.add("group")
    if _RANKED_AGGREGATE.search(bare):
        found = (found | {"group"}) - {"rank"}
    if _FILTER.search(bare) and not _OVER_A_PERIOD.search(bare):
        found.add("filter")
        if _WHICH_ROWS.search(bare):
            found.discard("group")  # "which channels had a cost per lead above 40?": rows, "per lead" a measure
    if _PROFILE.search(bare):
        found.add("profile")
    if re.match(
        # but "summarize what you find" is the result of another step, not a topic
        rf"\s*(?:{_TOPIC_VERB_WORDS}"
        r"(?!what\s+(?:you|we|it|they|i|he|she)\b))?"
        r"(?:what|whats|which|who|whom|why|how|when|where)\b",
        strip_polite(bare),
        re.I,
    ):
        found.add("question")  # "Explain what a push notification config is" asks, as "What is ..." does
    elif bare == text and _YES_NO.match(strip_polite(bare)) and not re.search(r"\d", bare):
        found.add("question")  # "Can I cancel a task once it's already running?"
    allowance = re.search(r"\b(?:downtime|uptime|availability|sla)\b", bare, re.I) and "expression" in found
    # "380 miles at 55 mph, how many hours?", "10 km in 52 minutes, my pace?" are divisions, not conversions
    trip = re.search(_TRIP, bare, re.I) or re.search(r"\bpace\b", bare, re.I)
    # "how many hours is 350 / 55?": the numbers of an expression carry no unit to convert from
    unitless = "expression" in found and not re.search(rf"\d[\d.,]*\s*{UNIT}(?![a-z])", bare, re.I)
    if (
        _CONVERSION.search(bare)
        and not ("expression" in found and _SAME_UNIT.search(bare))
        and not (allowance or trip or unitless or over_a_period)
    ):
        found.add("conversion")  # but "each shift is 12.5 hours ... how many hours is that in total?" is a sum
    if _SLASHED_LIST.search(bare) and _OF_A_LIST.search(bare):
        found = (found - {"expression"}) | {"numbers"}  # "the average of 3,400 / 12,750 / 980": a list
    listed = _LIST.search(bare) or any(_LIST.search(s.text) for s in spans if s.kind != "table")
    if listed or ("expression" not in found and len(set(_NUMBER_TOKEN.findall(bare))) >= 3):
        found.add("numbers")  # a list of numbers (bills of three months, latencies), not an expression's operands
    for span in spans:
        lines = [line for line in span.text.splitlines() if line.strip()]
        if span.kind == "table" or (len(lines) >= 3 and sum("," in line or "|" in line for line in lines) >= 3):
            found.add("table")
            named = _named_cells(bare, lines)
            if named and not ("group" in found and len(named) >= 2):
                found.add("filter")  # "which of these invoices are still unpaid?": rows with that value
            # but "how many guests are on each side (bride vs groom)?" names the groups, not a filter
        elif _labelled_numbers(span.text):
            found.add("numbers")  # "venue 4200, flowers 1850, cake 675": amounts under their names
        elif len(re.findall(r"[A-Za-z]{2,}", span.text)) >= 5:
            found.add("text")
    if any("csv" in a or "json" in a or "spreadsheet" in a for a in attachments):
        found.add("table")
    elif attachments:
        found.add("text")
    if not spans and not attachments and _NAMES_A_TABLE.search(bare):
        found.add("table")  # "here's last month's sales sheet - which product made the most?": a table, not sent
    return frozenset(found)


def _named_cells(request: str, lines: list[str]) -> set[str]:
    """The values a request names that some cells of the table hold and its header does not ("unpaid" in
    a status column): it asks for the rows holding them."""
    cells = {c.strip().lower() for line in lines[1:] for c in re.split(r"[,|\t;]", line) if c.strip()}
    header = {c.strip().lower() for c in re.split(r"[,|\t;]", lines[0])} if lines else set()
    words = {w for w in words_of(request) if len(w) > 3}
    named = {c for c in cells - header if not re.fullmatch(r"[-\d.,:/ ]+", c) and c in words}
    return named if len(named) < len(cells) / 2 else set()


@dataclass(frozen=True)
class Profile:
    """What a skill's card says, prepared for matching (computed once per skill)."""

    vocabulary: frozenset[str]  # stems of every word it advertises
    texts: tuple[str, ...]  # description, name + tags, and each example's instruction, for meaning
    shapes: frozenset[str]  # what its examples carry
    needs_material: bool  # its examples all carry text or a table
    verbs: frozenset[str]  # what it says it does: the first word of its description and of each example
    names: frozenset[str]  # the stems of its id and name


@functools.lru_cache(maxsize=4096)
def profile(skill: Skill, agent: str = "") -> Profile:
    """`agent` is the description of the agent offering the skill: what it says of its whole domain (a
    library's topics, say) counts for each of its skills."""
    example_shapes: list[frozenset[str]] = []
    instructions: list[str] = []
    for example in skill.examples[:8]:
        masked, spans = mask_data(example[:2000])
        found = shapes(masked, spans)
        # a question that carries data ("What is 100 F in C?") is evidence of that data, not of questions
        example_shapes.append(found - {"question"} if found - {"question", *_TABLE_MODIFIERS} else found)
        instructions.append(_without_numbers(re.sub(OPEN + r"\d+\ue001", "the text", masked))[:300])
    words = [*terms(skill.id.replace("_", " ")), *terms(skill.name), *terms(skill.description)]
    words += [t for tag in skill.tags for t in terms(tag)] + [t for i in instructions for t in terms(i)]
    words += terms(agent)
    material = bool(example_shapes) and all(s & {"text", "table"} for s in example_shapes)
    if not skill.examples:  # a card without examples: what its own words say it takes
        own_words = " ".join([skill.id.replace("_", " "), skill.name, skill.description, *skill.tags])
        example_shapes.append(frozenset(shape for shape, pattern in _DECLARED if pattern.search(own_words)))
    # an example reduced to two words ("What is" of "What is (17 + 25) * 3?") says nothing of its meaning
    meaningful = [i for i in instructions if len(words_of(i)) >= 3]
    texts = (skill.description[:600], f"{skill.name}: {', '.join(skill.tags[:12])}", *meaningful, agent[:600])
    openers = [skill.description, *skill.examples] if skill.examples else [skill.description, skill.id]
    verbs = frozenset(stem(w[0]) for w in (words_of(_strip_opening(t)) for t in openers) if _opens_with_verb(w))
    names = frozenset(terms(skill.id.replace("_", " ")) + terms(skill.name))
    return Profile(
        frozenset(words),
        tuple(t for t in texts if t.strip()),
        frozenset().union(*example_shapes),
        material,
        verbs,
        names,
    )


_TRANSFORM = re.compile(
    r"\b(?:in (?:all )?(?:capital|upper|lower|small)(?:\s?case)? letters|in (?:all )?caps|(?:upper|lower)[- ]?case|"
    r"backwards|in reverse|reversed|spelled? (?:out )?backwards|title case|camel ?case|snake ?case)\b",
    re.I,
)
_NAMING_VERBS = _CREATION_VERBS | {"make", "give", "do"}  # "make an outline": the outline skill
_WEB = re.compile(r"\b(?:google|bing|duckduckgo|the (?:web|internet)|online|on the net|websites?|web ?pages?)\b", re.I)
_SEARCH_VERBS = frozenset({"search", "look", "find", "check", "browse", "google", "lookup", "research"})
# what only live information answers: no card of a closed network advertises it unless it says so
_LIVE = re.compile(
    r"\b(?:today's|tonight's|tomorrow'?s?|yesterday's|last night's|right now|rn|currently|latest|live|real[- ]time|"
    r"breaking|weather|forecast|headlines|news|stock price|share price|exchange rate)\b",
    re.I,
)
# when the work is for, not what it is about: "for tomorrow's ops standup", "before today's meeting"
_FOR_WHEN = re.compile(
    r"\b(?:for|before|at|in|during|ahead of)\s+(?:the\s+)?(?:today's|tonight's|tomorrow'?s|this week's|next week's)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:meeting|standup|stand-up|call|briefing|session|class|lesson|review|huddle|"
    r"presentation|talk|party|dinner|event|shift|assembly)\b",
    re.I,
)
_OBJECT_START = frozenset("the a an this these my our in of by for to me it all every each from".split())


def _opens_with_verb(words: list[str]) -> bool:
    """ "Convert 10 km", "Search the library": a verb and its object; "Text statistics for ..." is a noun."""
    return len(words) >= 2 and (words[1] in _OBJECT_START or words[1].isdigit())


def _strip_opening(text: str) -> str:
    return re.sub(r"^(?:please|can you|could you|give me|show me|tell me)\s+", "", text.strip(), flags=re.I)


@dataclass(frozen=True)
class Match:
    skill_id: str
    score: float
    reason: str


@dataclass(frozen=True)
class Verdict:
    """The ranked matches of one request (best first) and, when none fits, why."""

    matches: tuple[Match, ...]
    unserved_reason: str = ""

    @property
    def best(self) -> Match | None:
        return None if self.unserved_reason or not self.matches else self.matches[0]


# "a two-line summary", "a two line note", "a 3 sentence summary": a summary, a note
_COMPOUND_MODIFIER = re.compile(
    r"\b\w+(?:-\w+)+\s+(?=[A-Za-z])|"
    r"\b(?:\d+|one|two|three|four|five|six|ten|single|half)\s+(?:lines?|sentences?|paragraphs?|pages?|words?|"
    r"minutes?|points?|bullets?)\s+(?=[A-Za-z])",
    re.I,
)


def _head(text: str) -> tuple[str, str]:
    """The request's capability verb and the first thing it names after it ("write", "poem")."""
    words = words_of(text)
    if not words or words[0] not in REQUEST_VERBS:
        return "", ""
    verb = words[0]
    into = _INTO.search(text)
    if verb in ("turn", "make", "convert", "put", "change", "shape", "rewrite", "transform", "write") and into:
        return "make", into.group(1).lower()  # "turn the answer into a one-paragraph report": a report
    rest = [w for w in words[1:] if w not in _FILLER]
    return verb, rest[0] if rest else ""


_INTO = re.compile(
    r"\b(?:into|as)\s+(?:an?\s+|the\s+|some\s+)?(?:[\w-]+\s+){0,2}(report|summary|outline|list|bullets|memo|overview|"
    r"brief|paragraph|write-?up|table)\b",
    re.I,
)


# an amount asked in another currency: "what's that in euros", "convert 50 USD to GBP" (not "in pounds", a mass)
_CURRENCY_ASKED = re.compile(
    r"\b(?:in|into|to|as)\s+(?:(?:us|canadian|australian|new zealand|hong kong)\s+)?(?:euros?|eur|dollars?|usd|gbp|"
    r"pounds sterling|sterling|yen|jpy|swiss francs?|francs?|chf|rupees?|inr|pesos?|yuan|renminbi|cny|cad|aud|"
    r"krona|kronor|krone|zloty|rand|bitcoin|btc)\b|\bexchange rates?\b|\b(?:convert|change)\s+currenc",
    re.I,
)


def _advertises_live(offered: dict[str, tuple[Skill, str]], wording: str) -> bool:
    """Whether some card speaks of the live thing asked for (a weather agent's card says "weather")."""
    asked = {stem(m.lower()) for m in _LIVE.findall(wording)}
    return any(asked & profile(s, a).vocabulary for s, a in offered.values())


_WANTING = frozenset("need want get like".split())
_PHRASE_END = re.compile(r"(?<!-)\b(?:of|for|to|into|from|about|on|in|with|that|which|based)\b|[:,;.?!]", re.I)


def _product_asked(wording: str) -> str:
    """The noun that names what a verbless or light request asks for, when it is one of `ACTION_NOUNS`: the last
    word of its first noun phrase ("I need the sentiment and a French translation of this" asks for a
    translation; "give me a haiku about it", a haiku)."""
    words = words_of(_PHRASE_END.split(wording, maxsplit=1)[0])
    noun = words[-1] if words else ""
    return noun if noun in ACTION_NOUNS else ""


def _unknown_product(noun: str, offered: dict[str, tuple[Skill, str]]) -> bool:
    verbs = _roster_verbs(list(offered.values()))
    made = ACTION_NOUNS[noun]
    return not _verb_known(made, verbs) and not any(
        _makes(profile(s, a), noun) or _makes(profile(s, a), made) for s, a in offered.values()
    )


# short written forms that are a report or a summary under another name ("a brief note for the team")
_KIN = {
    "note": "report",
    "memo": "report",
    "writeup": "report",
    "write-up": "report",
    "briefing": "report",
    "recap": "summary",
    "rundown": "summary",
    "digest": "summary",
    "synopsis": "summary",
    "overview": "summary",
}


def _makes(prof: Profile, thing: str) -> bool:
    kin = _KIN.get(thing.lower(), "")
    return any(w and (stem(w) in prof.vocabulary or w in prof.vocabulary) for w in (thing, kin))


def _roster_verbs(offered: Sequence[tuple[Skill, str]]) -> frozenset[str]:
    return frozenset().union(*(profile(s, a).verbs for s, a in offered)) if offered else frozenset()


def _overlap(query: str, text: str) -> float:
    """Shared content words of `query` and an agent's description, normalised like `lexical_score`."""
    q = set(terms(query))
    return len(q & set(terms(text))) / max(1.0, len(q) ** 0.5) if q and text else 0.0


def _brings_data(text: str, spans: Sequence[Span], wording: str) -> bool:
    """Whether a request that names something live works on data of its own: "Describe the columns of the
    attached weather readings" does, "whats the news on the rail strike" beside an attached sheet does not (the
    sheet is not what it asks about, so the attachments do not count)."""
    if re.search(r"\b(?:attached|columns?|rows?|csv|spreadsheet|sheet|file|export)\b", wording, re.I):
        return True
    return bool(shapes(text, list(spans)) & {"expression", "conversion", "table", "numbers"})


def _verb_known(verb: str, vocabulary: frozenset[str]) -> bool:
    return (
        stem(verb) in vocabulary or verb in vocabulary or stem(verb).rstrip("e") in {v.rstrip("e") for v in vocabulary}
    )


def match(
    text: str,
    spans: Sequence[Span],
    roster: Sequence[Worker],
    similarity: Similarity,
    *,
    attachments: Sequence[str] = (),
    has_inputs: bool = False,
) -> Verdict:
    """Rank the roster's skills for one request (its text with data placeholders, and its data spans)."""
    offered = {s.id: (s, w.description) for w in reversed(roster) if w.available for s in w.skills if modes_fit(s)}
    skills = [s for s, _ in offered.values()]
    if not skills:
        return Verdict((), "no worker is available")
    query = re.sub(OPEN + r"(\d+)\ue001", lambda m: _stand_in(spans, m.group(1)), text)
    wording = re.sub(r"\bsorts?\s+of\b", "kind of", _without_numbers(query), flags=re.I)  # "what sort of data"
    carried = shapes(text, [s for s in spans], attachments=attachments)
    verb, thing = _head(_without_numbers(_COMPOUND_MODIFIER.sub("", query)))  # "a two-line summary": a summary
    plain, wording = wording, with_task_words(wording)  # "boil this down" also says "summarize"
    if _TRANSFORM.search(wording):  # "write the word 'orchestrator' in capital letters" asks to capitalize
        verb, thing = "transform", "text"
    elif _WEB.search(wording) and verb in _SEARCH_VERBS:  # "search google for ...": not a library's documents
        verb, thing = "browse", "web"
    unknown_verb = verb in ACTION_VERBS and not _verb_known(verb, _roster_verbs(list(offered.values())))
    # "call the top three sellers", "text the late ones a reminder": done in the world, whatever data it names
    worldly = unknown_verb and acts_in_the_world(plain)
    product = _product_asked(wording) if not verb or verb in _WANTING | {"make", "give", "do"} else ""
    if product and not unknown_verb and _unknown_product(product, offered):
        verb, thing, unknown_verb = "make", f"a {product}", True  # "a French translation of this"
    # "summarise what a push notification is": the topic is what is asked about, not the verb before it
    topic = _TOPIC_VERB.sub("", strip_polite(plain), count=1) if "question" in carried else wording
    scored: list[Match] = []
    for skill, agent in offered.values():
        prof = profile(skill, agent)
        meaning = max(similarity.scores(wording, prof.texts), default=0.0) if words_of(wording) else 0.0
        topic_only = prof.needs_material and "question" in carried and not carried & {"text", "table"}
        asked = topic if topic_only else wording
        lexical = lexical_score(asked, skill) + 0.5 * _overlap(asked, agent)
        words = lexical / (lexical + 2.0)
        matched = carried & prof.shapes
        if "table" not in carried:
            matched -= _TABLE_MODIFIERS
        if prof.needs_material and not carried & {"text", "table"}:
            matched -= {"question"}  # "What are the key terms in this text?" is a question about material
        shape = sum(SALIENT[f] for f in matched)
        penalty = 0.0
        if prof.needs_material and not (carried & {"text", "table"}) and not has_inputs:
            penalty += 0.1
        data = carried & {"numbers", "text", "table"}
        if data and prof.needs_material and not data & prof.shapes:
            penalty += 0.2  # it brings numbers, the skill reads tables (or the other way round)
        if {"profile", "table"} <= carried and "group" not in carried and "profile" not in prof.shapes:
            penalty += 0.1  # "an overview of each column, like the averages": every column described
        if {"filter", "table"} <= carried and "group" not in carried and "group" in prof.shapes:
            penalty += 0.1 if "filter" not in prof.shapes else 0.0  # rows picked out, none grouped
        if unknown_verb:
            penalty += 0.3
        if verb in _CREATION_VERBS and thing and not _makes(prof, thing):
            penalty += 0.35
        if verb in _NAMING_VERBS and thing and stem(thing) in prof.names:
            shape += 0.1  # "make an outline of that summary": the thing asked for is what the skill is named
        elif verb and verb not in _NAMING_VERBS and stem(verb) in prof.names and not topic_only:
            shape += 0.1  # "summarize that in 3 bullet points": the verb is the skill's name
        score = 0.55 * max(meaning, 0.0) + 0.45 * words + shape - penalty
        reason = f"meaning {meaning:.2f}, words {lexical:.2f}" + (
            f", shape {'+'.join(sorted(matched))}" if shape else ""
        )
        scored.append(Match(skill.id, round(score, 4), reason))
    scored.sort(key=lambda m: (-m.score, m.skill_id))
    best = scored[0]
    strong = carried & {"expression", "conversion", "table", "numbers"}
    asked_live = _LIVE.search(_FOR_WHEN.sub(" ", wording))  # not "an outline for tomorrow's standup"
    live = (
        bool(asked_live)
        and not carried & {"text"}
        and not unknown_verb  # "remind me tomorrow": what it cannot do is remind, not know the news
        and not _brings_data(text, spans, wording)
        and not _advertises_live(offered, wording)
    )
    if live:
        return Verdict(tuple(scored), "no advertised skill has live information (news, weather, scores, prices)")
    if _CURRENCY_ASKED.search(wording) and not any(
        {"currency", "exchang"} & profile(s, a).vocabulary for s, a in offered.values()
    ):
        return Verdict(tuple(scored), "no advertised skill converts currencies (that needs live exchange rates)")
    best_profile = next(profile(s, a) for s, a in offered.values() if s.id == best.skill_id)
    # "write a Python script": the best skill writes reports, not that
    foreign_thing = verb in _CREATION_VERBS and bool(thing) and not _makes(best_profile, thing)
    if best.score >= THRESHOLD and not (unknown_verb and (not strong or worldly)) and not foreign_thing:
        return Verdict(tuple(scored))
    return Verdict(tuple(scored), _why_unserved(query, verb, unknown_verb, thing, best))


# "explain to me", "sum up": a verb that asks about a topic; shapes() reads what follows it as the question
_TOPIC_VERB_WORDS = r"(?:explain|describe|tell (?:me|us)|summari[sz]e|sum up)\s+(?:to me\s+|for me\s+)?"
_TOPIC_VERB = re.compile(rf"^\s*{_TOPIC_VERB_WORDS}", re.I)
_NUMERIC = re.compile(r"(?<![A-Za-z])[-+]?\d[\d.,]*(?:e[-+]?\d+)?%?|[-+*/^×=()]+")


_BRITISH = re.compile(
    r"\b(summar|organ|categor|visual|prior|recogn|emphas|character|item|capital|anal)([iy])s(e|es|ed|ing)\b", re.I
)


def _labelled_numbers(text: str) -> bool:
    """ "venue 4200, flowers 1850, photographer 3100 and band 960": each item a name (a few words) and one
    number."""
    items = [i for i in re.split(r"[,;\n]|\band\b|&", text.strip().rstrip(".")) if i.strip()]
    return len(items) >= 2 and all(
        len(_NUMBER_TOKEN.findall(i.replace("$", " ").replace("£", " ").replace("€", " "))) == 1
        and len(re.findall(r"[A-Za-z]+", i)) <= 4
        for i in items
    )


def _without_numbers(text: str) -> str:
    """The words of a request without its numbers and operators: what it asks for, not the data it carries
    (that is its shape). "What's the average of 3.5, 4.25 and 5" and a card's "mean of 4, 8, 15" then meet on
    "average"/"mean", not on a shared digit. British spellings meet American ones ("summarise")."""
    return " ".join(_BRITISH.sub(r"\1\2z\3", _NUMERIC.sub(" ", text)).split())


def _stand_in(spans: Sequence[Span], index: str) -> str:
    span = spans[int(index)] if int(index) < len(spans) else None
    if span is None:
        return "the text"
    if span.kind == "table":
        return "the table"
    return f'"{span.text[:80]}"' if len(span.text.split()) <= 4 else "the text"


_WHEN_WORDS = frozenset("today tomorrow tonight later now soon again yesterday".split())


def _phrase_after(query: str, verb: str) -> str:
    """What the verb acts on, as the request words it: "the quarterly report" of "email the quarterly report to
    finance", "her up" of "sign her up for the spring term" (at most five words, up to a preposition)."""
    found = re.search(rf"\b{re.escape(verb)}\s+(.+)", query, re.I | re.S)
    if found is None:
        return ""
    cut = _PHRASE_END.search(found.group(1))
    words = (found.group(1)[: cut.start()] if cut else found.group(1)).split()
    return " ".join(words) if 0 < len(words) <= 5 else ""


def _why_unserved(query: str, verb: str, unknown_verb: bool, thing: str, best: Match) -> str:
    if verb and (unknown_verb or verb not in LIGHT_VERBS):
        thing = "" if thing in _WHEN_WORDS else _phrase_after(query, verb) or thing  # "remind me tomorrow"
        return f"no advertised skill can {verb} {thing}".strip()
    words = words_of(query)
    if words and words[0] in QUESTION_WORDS:
        return "no advertised skill answers this kind of question"
    return f"no advertised skill fits this (closest: {best.skill_id}, too weak a match)"
