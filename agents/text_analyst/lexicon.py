"""A compact sentiment lexicon: weighted positive and negative words, negators and intensity modifiers.

Weights: 1 for ordinary words, 2 for strong ones. Words are lower-case; lookups also try a few inflections
(see `sentiment.word_weight`).
"""

from __future__ import annotations


def _weighted(ordinary: str, strong: str, sign: int) -> dict[str, float]:
    table = {w: float(sign) for w in ordinary.split()}
    table.update({w: 2.0 * sign for w in strong.split()})
    return table


POSITIVE = _weighted(
    """good nice fine pleasant happy glad pleased enjoy enjoyed enjoyable liked likes love loved lovely
    helpful useful valuable reliable robust stable secure safe easy simple clear clean smooth fast quick
    efficient effective productive powerful capable strong solid improve improved improvement improves
    better best benefit benefits beneficial advantage success successful succeed win wins won gain gains
    growth grow growing profit profitable positive optimistic hope hopeful confident comfortable friendly
    kind generous polite respectful honest fair trust trusted supportive recommend recommended
    praise praised appreciate appreciated thank thanks grateful welcome calm relaxed fun funny interesting
    exciting excited impressive impressed beautiful pretty attractive elegant creative innovative smart
    clever wise accurate correct precise affordable cheap worth worthy convenient intuitive responsive
    satisfying satisfied satisfaction rewarding healthy fresh bright cheerful charming delightful glad
    encouraging promising progress resolved fixed works working wonderful""",
    """excellent outstanding amazing awesome fantastic superb brilliant perfect great terrific marvelous
    exceptional magnificent incredible love delighted thrilled ecstatic flawless superior phenomenal
    spectacular stunning masterpiece joy joyful""",
    1,
)

NEGATIVE = _weighted(
    """bad poor weak slow late difficult hard confusing confused unclear complicated complex messy broken
    break breaks bug buggy error errors fail failed fails failure fault faulty flaw flawed problem problems
    issue issues risk risky unsafe insecure unstable unreliable useless pointless worthless expensive
    overpriced costly waste wasted annoying annoyed annoys irritating frustrating frustrated frustration
    disappoint disappointed disappointing disappointment unhappy sad upset angry mad worried worry worse
    concern concerned concerns doubt doubtful negative pessimistic fear afraid scared nervous anxious stress
    stressful tired boring bored dull ugly rude unfriendly unfair dishonest wrong incorrect inaccurate
    mistake mistakes missing lack lacks lacking lose loses lost loss losses decline declined declining
    drop dropped fall fell crash crashed crashes delay delayed delays complaint complain complained hate
    dislike disliked reject rejected refuse refused damage damaged harm harmful hurt pain painful sick ill
    noisy dirty clumsy awkward inconvenient unresponsive laggy outdated obsolete shortage
    struggle struggling suffer suffered threat trouble troubled regret sorry""",
    """terrible horrible awful dreadful disastrous disaster catastrophic catastrophe abysmal atrocious
    pathetic worst hated appalling furious outraged miserable unacceptable garbage nightmare toxic
    disgusting""",
    -1,
)

NEGATORS = frozenset(
    """not no never none nobody nothing neither nor nowhere without hardly barely scarcely cannot can't
    don't doesn't didn't isn't wasn't aren't weren't won't wouldn't shouldn't couldn't haven't hasn't
    hadn't ain't""".split()
)

INTENSIFIERS: dict[str, float] = {
    "very": 1.5,
    "really": 1.4,
    "so": 1.3,
    "extremely": 1.8,
    "incredibly": 1.8,
    "absolutely": 1.8,
    "totally": 1.5,
    "completely": 1.5,
    "highly": 1.5,
    "truly": 1.4,
    "super": 1.5,
    "remarkably": 1.6,
    "especially": 1.3,
    "particularly": 1.3,
    "quite": 1.2,
    "deeply": 1.6,
    "exceptionally": 1.8,
    "too": 1.3,
    "most": 1.3,
    "utterly": 1.8,
    "seriously": 1.4,
    "slightly": 0.5,
    "somewhat": 0.6,
    "fairly": 0.8,
    "rather": 0.8,
    "mildly": 0.5,
    "marginally": 0.5,
    "kinda": 0.7,
    "partly": 0.6,
}

CONTRAST = frozenset({"but", "however", "although", "though", "yet"})

# Neutral verbs of service that are a complaint when negated: "support never answered", "it didn't work".
EXPECTED = frozenset(
    """answer answered answers reply replied replies respond responded responds work worked works working
    arrive arrived arrives help helped helps fix fixed fixes load loaded loads open opened opens start started
    starts show showed came come call called""".split()
)
# Hopes before a positive word say it did not happen: "I really wanted to love it".
UNFULFILLED = frozenset({"wanted", "hoped", "expected", "tried", "wished", "supposed"})
