"""Planning: step splitting, the offline planner on the real roster, plan validation and parsing."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator_agent.errors import PlanError
from orchestrator_agent.handoff import build_request
from orchestrator_agent.models import Plan, Subtask, UnservedPart, Worker
from orchestrator_agent.offline_planner import OfflinePlanner
from orchestrator_agent.planning import Goal, parse_plan, validate_plan
from orchestrator_agent.semantic import Similarity


async def plan(roster: list[Worker], similarity: Similarity, text: str, *attachments: str, limit: int = 12) -> Plan:
    goal = Goal(text=text, attachments=attachments)
    return await OfflinePlanner(similarity).plan(goal, roster, max_subtasks=limit)


def shape(result: Plan) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.skill, s.depends_on) for s in result.subtasks]


@pytest.mark.parametrize(
    "goal, skill",
    [
        ("Convert 10 km to miles", "unit_conversion"),
        ("How much is 1250 divided by 8?", "arithmetic"),
        ("How many pounds is 68 kg?", "unit_conversion"),
        ("What's the average of 3.5, 4.25, 5 and 7.25?", "statistics"),
        # calculations told as stories, and forms of arithmetic and conversion found by a blind set
        ("If a latte is $4.75, how much do 36 lattes come to?", "arithmetic"),
        ("if 14 kids each get 3 cupcakes, how many do I need to bake?", "arithmetic"),
        ("how many minutes of downtime does 99.95% uptime allow in a 30-day month?", "arithmetic"),
        ("what's 2 to the 20th?", "arithmetic"),
        ("how many milliseconds is 2.75 seconds", "unit_conversion"),
        ("sqaure root of 2025", "arithmetic"),  # a typo in the word that routes it
        ("count how many orders each store had in sales.csv", "group_aggregate"),
        # everyday names of text tasks
        ("boil this down to one line: The library was closed. Now it is open again with new books.", "summarize"),
        ("I need the resume of this text in two sentences: The library was closed. Now it reopened.", "summarize"),
        ("tl;dr: The library was closed for two years. Now it is open again with new books.", "summarize"),
        ("what is the tone of this email: Thanks for nothing. You never called back.", "sentiment"),
        ("Summarize this text in 2 sentences: Solar grew fast. Prices fell. Grids adapted.", "summarize"),
        ("Search the library for push notifications", "search_documents"),
        ("Which task states are terminal?", "answer_question"),
        ("Convert 10 km to miles. Thank you!", "unit_conversion"),  # a pleasantry is not a part
        ("can you summarise this for me please", "summarize"),  # British spelling; the worker asks for the text
        # a trip's time is a division, not a conversion of miles into hours
        ("if the run is 380 miles and the driver averages 55 mph how many hours is that roughly?", "arithmetic"),
        ("at EUR 0.09 per word, what do I charge for 2,340 words?", "arithmetic"),  # a currency code
        ("Can I cancel a task once it's already running?", "answer_question"),  # a yes-or-no question
        ("Multiply 48 by 37.", "arithmetic"),  # an operation named by its verb
        ("How many US gallons is 5 litres?", "unit_conversion"),
        ("the average of the claims I closed - 3,400 / 12,750 / 980 / 5,600 / 7,210", "statistics"),  # a list
        ("show runs 2h 35m and we have 8 performances, total running time in minutes?", "arithmetic"),
        # found by hand through `switchboard up`: refused once, the numbers being spread between month names
        (
            "My electricity bill was 84.20 in January, 91.75 in February and 77.10 in March. What did I pay "
            "on average?",
            "statistics",
        ),
    ],
)
async def test_a_single_skill_goal_is_handed_over_whole(
    roster: list[Worker], similarity: Similarity, goal: str, skill: str
) -> None:
    result = await plan(roster, similarity, goal)
    assert result.single and result.source == "offline" and not result.unserved
    (only,) = result.subtasks
    assert (only.skill, only.brief, only.depends_on) == (skill, goal, ())


@pytest.mark.parametrize(
    "goal, skills",
    [
        ("Convert 72 degrees Fahrenheit to Celsius and 5 pounds to kilograms.", ["unit_conversion"] * 2),
        ("What is 15% of 240, and what is 2 to the power of 16?", ["arithmetic"] * 2),
        ("What's 3 km in miles, 3 kg in pounds and 30 C in F?", ["unit_conversion"] * 3),
        (
            "Give me the keywords and the sentiment of this review: 'Great coffee, rude staff.'",
            ["keywords", "sentiment"],
        ),
        (
            "1. Convert 5 miles to km\n2. What's the sentiment of 'I hate mondays'\n3. search the docs for retries",
            ["unit_conversion", "sentiment", "search_documents"],
        ),
        ("Please do these:\n- 345 + 678\n- The max of 17, 42, 8, 39", ["arithmetic", "statistics"]),
        # one request, not two: a list of measures, a list of numbers, one operation with two verbs
        ("Compute the mean, median and standard deviation of 12, 15, 22, 31 and 40", ["statistics"]),
        ("Give me the sum and the average of 4, 8, 15 and 16", ["statistics"]),
        ("Group this by team and sum the points:\nteam,points\nA,3\nB,5\nA,2", ["group_aggregate"]),
        # a second question about the first one's subject is the same question
        ("What is an agent card in A2A and what goes in it?", ["answer_question"]),
        (
            "question for the docs: our webhook receiver sometimes gets the same push notification twice. is that "
            "expected, and how should the receiver deal with it?",
            ["answer_question"],
        ),
        # an "if ..., what ...?" after "and" is its own request; "take X as km and convert it" is one
        (
            "How far is 240 miles in km, and if gas is $3.45 a gallon, what do 14 gallons cost?",
            ["unit_conversion", "arithmetic"],
        ),
        ("Convert this into bullet points: the launch moved to June. The budget was cut.", ["outline"]),
        # phrasings found by a blind set written to vary the wording
        (
            "Two things: convert 68 kg to pounds and, if you can, translate 'thank you' into Spanish.",
            ["unit_conversion"],  # the translation is named as not served (asserted in its own test)
        ),
        (
            "Before I order supplies I want to check two totals, 48 boxes at 12.50 each and 36 boxes at 9.75 each.",
            ["arithmetic", "arithmetic"],
        ),
        (
            "I've got two questions about my shop's numbers: the average of 230, 315, 280 and 295, and 18% of 1250.",
            ["statistics", "arithmetic"],
        ),
        (
            "For the team newsletter I'd like the square root of 729 and the number of seconds in 45 minutes.",
            ["arithmetic", "unit_conversion"],
        ),
        (
            "I'm planning a run. How long in minutes is 2.25 hours, and what's 13.1 miles in kilometers?",
            ["unit_conversion", "unit_conversion"],
        ),
        ("Could you figure out how many kilograms 185 pounds is?", ["unit_conversion"]),
        (
            'For the notes, summarize the following text and keep it brief: "Streaming is in. Push is in."',
            ["summarize"],
        ),
        # a table named but not sent goes to the table's worker, which asks for it
        ("Here's last month's sales sheet - which product made me the most money?", ["query_table"]),
        # "ms." ends a sentence; an expression after a colon is the request's own, not material
        (
            "Mean of these response times: 230, 180, 410 ms. Also, how many minutes of downtime does 99.95% "
            "uptime allow in a 30-day month?",
            ["statistics", "arithmetic"],
        ),
        (
            "Add up this week's invoices: 48.50 + 37.25 + 112.80, then write me a quick executive summary of the "
            "total.",
            ["arithmetic", "executive_summary"],
        ),
        # statements opened by "First," / "Second," are requests, even without a request verb
        (
            "First, the mean of 4, 8 and 15. Second, our warehouse is 18,500 square feet and the investors want "
            "it in square metres. Third, finance wants 7.5% of 1,255,750 held back, so work that out.",
            ["statistics", "unit_conversion", "arithmetic"],
        ),
        # "and N" after "N, N" ends the list, even when an elliptic-looking "8.75 plus ..." follows
        ("i need the sum of 14.99, 22.50 and 8.75 plus the average", ["statistics"]),
        ("How many weeks until a baby due in 196 days? Also, what's 5 ft 4 in in cm", ["unit_conversion"] * 2),
        ("Explain what a push notification config is", ["answer_question"]),  # "explain what" asks
        ("top 3 words in: the cat sat on the mat the cat ate the rat", ["keywords"]),  # words, not table rows
        # a question asked as a statement about the asker is a request, not context for the one before
        (
            "What's 40 Celsius in Fahrenheit? I'm also curious how A2A agents advertise what they can do.",
            ["unit_conversion", "answer_question"],
        ),
        ("Convert 5 km to miles. I wonder what a task state is in A2A.", ["unit_conversion", "answer_question"]),
        (
            "What is 12 * 12? Oh and my manager wants to know what a task's contextId is used for.",
            ["arithmetic", "answer_question"],
        ),
        # found by the fourteenth blind set
        ("What's the average squat across my clients? 100, 115, 92.5 and 110 kg.", ["statistics"]),  # its numbers
        ("Where does an agent publish its card? Like what URL path do clients fetch?", ["answer_question"]),
        (
            "Two things:\n1) how many acres is 12 hectares\n2) I sold 340 eggs at $0.25 each, what did that bring in",
            ["unit_conversion", "arithmetic"],
        ),  # a question after a comma is no statement
        (
            "OK wedding math time!! What is 15% of 18,400? Oh and how many litres is 3 gallons?",
            ["arithmetic", "unit_conversion"],
        ),  # a preamble asks nothing
        ("quick ones for the whiteboard — 5k in miles? 225 lbs in kg?", ["unit_conversion", "unit_conversion"]),
        ("how many mg in total is 120 tablets of 0.25 mg?", ["arithmetic"]),  # the same unit back is a product
        ("how many minutes of downtime per 30-day month does a 99.95% uptime SLA allow?", ["arithmetic"]),
        ("he rode 42 km in 1 hour 45 minutes. What was his average speed?", ["arithmetic"]),  # a rate, not a mean
        ("My deposit of 12,500 earns 4.2% a year, compounded yearly. What is it worth after 3 years?", ["arithmetic"]),
        ("How many gigabits is 750 MB?", ["unit_conversion"]),
        ("how much do I invoice for a 2,350-word job at 0.12 euros per word?", ["arithmetic"]),
        (
            'TL;DR this for me please, I have to forward it to the night shift:\n\n"Starting Monday, the north '
            'garage will be closed for repairs for four weeks. Staff can park in the overflow lot on Elm Street."',
            ["summarize"],
        ),  # the instruction is no material
        # found by the twelfth and thirteenth blind sets
        (
            "I need 3 things: 1) 250 mg to grams 2) 60 * 8 * 3 3) median of 7, 3, 9, 4, 11",
            ["unit_conversion", "arithmetic", "statistics"],
        ),
        (
            "Each shift is 12.5 hours and I have 14 shifts to cover this week - how many hours is that in total?",
            ["arithmetic"],
        ),  # the same unit asked back is a sum, not a conversion
        (
            "My tenant pays $1,450 a month. If I raise the rent by 3.5%, what will the new monthly rent be?",
            ["arithmetic"],
        ),
        ("Our rent went from $1,200 to $1,380 a month. By what percent did it go up?", ["arithmetic"]),
        (
            "Give me the top 5 keywords from this text -- Recycling improved. We added recycling bins on every floor.",
            ["keywords"],
        ),  # a dash after the material's name is a colon
        (
            "Hello, I work in HR and I've attached our staff list as JSON. Could you tell me the average salary in "
            "each department?",
            ["group_aggregate"],
        ),  # saying where the data is asks nothing
    ],
)
async def test_coordinated_requests_split_and_one_request_does_not(
    roster: list[Worker], similarity: Similarity, goal: str, skills: list[str]
) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == skills
    assert not result.unserved or "translate" in goal


@pytest.mark.parametrize(
    "goal, words",
    [
        ("I'd love it if you could book a table for four at an Italian restaurant tonight.", "book"),
        ("Any chance you could write a short poem about autumn for my class?", "poem"),
    ],
)
async def test_a_polite_opener_does_not_hide_what_is_asked(
    roster: list[Worker], similarity: Similarity, goal: str, words: str
) -> None:
    result = await plan(roster, similarity, goal)
    assert not result.subtasks and words in result.unserved[0].reason


@pytest.mark.parametrize(
    "goal, skill",
    [
        (
            "Our grades are in the JSON below. What's the average grade for each subject?\n\n"
            '[{"student": "Ava", "subject": "Math", "grade": 88}, {"student": "Ben", "subject": "Art", "grade": 72}]',
            "group_aggregate",
        ),
        (
            "Executive summary please: the self-checkout pilot ran 6 weeks in 3 stores, checkout time dropped 20%, "
            "staff liked it, full rollout estimated at $40k.",
            "executive_summary",
        ),
        (
            "I've pasted my notes from the evening below. Could you turn them into a report?\n"
            "- Most parents happy with the homework load\n- Requests for more sports clubs\n- Worries about the bus",
            "write_report",
        ),
    ],
)
async def test_material_below_a_question_is_the_question_s(
    roster: list[Worker], similarity: Similarity, goal: str, skill: str
) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == [skill] and not result.unserved


async def test_a_check_on_a_calculation_is_not_folded_into_it(roster: list[Worker], similarity: Similarity) -> None:
    result = await plan(roster, similarity, "Compute 17*23. Is that prime?")
    assert [s.skill for s in result.subtasks] == ["arithmetic"]
    assert [u.text for u in result.unserved] == ["Is that prime?"]  # named, not answered by 391 alone


async def test_quoted_and_pasted_text_is_never_split(roster: list[Worker], similarity: Similarity) -> None:
    goal = (
        'Summarize in one sentence: "The museum will close. Then it reopens in May and the table of '
        'prices changes. Write to the board if you object."'
    )
    result = await plan(roster, similarity, goal)
    assert shape(result) == [("summarize", ())]
    assert result.subtasks[0].brief == goal


@pytest.mark.parametrize(
    "goal, skill",
    [
        (
            "Turn these notes into an executive summary for the board: Q3 revenue $1.2M, up 8% on Q2; two new "
            "engineers hired; customer churn down to 3%.",
            "executive_summary",
        ),
        (
            "Please write a short report from these points about our fun run:\n- 120 volunteers showed up\n"
            "- we raised $4,300 for the food bank\n- the next run is in spring",
            "write_report",
        ),
    ],
)
async def test_points_after_an_instruction_that_names_them_are_its_material(
    roster: list[Worker], similarity: Similarity, goal: str, skill: str
) -> None:
    result = await plan(roster, similarity, goal)
    assert shape(result) == [(skill, ())] and not result.unserved
    assert result.subtasks[0].brief == goal


async def test_the_data_goes_with_the_step_that_reads_it(roster: list[Worker], similarity: Similarity) -> None:
    goal = "Group this by team and sum the points, then write a report on the results:\nteam,points\nA,3\nB,5"
    result = await plan(roster, similarity, goal)
    assert shape(result) == [("group_aggregate", ()), ("write_report", ("s1",))]
    assert "A,3" in result.subtasks[0].brief and "A,3" not in result.subtasks[1].brief


async def test_quoted_text_after_a_request_with_its_own_numbers_goes_to_the_one_that_wants_text(
    roster: list[Worker], similarity: Similarity
) -> None:
    goal = 'Give me the keywords from this paragraph, and also tell me what 2^20 is: "Remote work changed hiring."'
    result = await plan(roster, similarity, goal)
    assert shape(result) == [("keywords", ()), ("arithmetic", ())]
    assert "Remote work" in result.subtasks[0].brief and "Remote work" not in result.subtasks[1].brief


@pytest.mark.parametrize(
    "goal, expected",
    [
        (
            "Compute the mean, median and standard deviation of 12, 15, 22, 31 and 40. "
            "Search the library for how agent cards describe skills. "
            "Then write a short report that combines these results.",
            [("statistics", ()), ("search_documents", ()), ("write_report", ("s1", "s2"))],
        ),
        (
            "What is (17.5*4)+2**10-33? Then write an executive summary of the answer.",
            [("arithmetic", ()), ("executive_summary", ("s1",))],
        ),
        (
            "Find the keywords of this text, then write an outline using those keywords: Remote work is normal. "
            "Remote teams rely on chat.",
            [("keywords", ()), ("outline", ("s1",))],
        ),
        (
            "What do the docs say about timeouts? Give me a two-sentence summary of what you find.",
            [("answer_question", ()), ("summarize", ("s1",))],
        ),
        (
            "What's the median of 7, 3, 9, 1 and 12; then write a one-paragraph executive summary of it.",
            [("statistics", ()), ("executive_summary", ("s1",))],
        ),
        (  # a request phrased as what someone wants is a step; so is a noun phrase with "please"
            "We are closing the quarter. Our CFO wants the average of 412, 388 and 455. Then write a short "
            "report on it.",
            [("statistics", ()), ("write_report", ("s1",))],
        ),
        (
            "The average of 412, 388 and 455 please. Then write a short report on it.",
            [("statistics", ()), ("write_report", ("s1",))],
        ),
        (  # steps named out of order
            "Once you've found the average of 9.6, 10.2, 11.1, 9.8 and 10.4, please write a short executive "
            "summary around it.",
            [("statistics", ()), ("executive_summary", ("s1",))],
        ),
        (
            "I'd like a report on this table after you group it by category and count the items in each:\n\n"
            "item,category\nHammer,Tools\nWrench,Tools\nRoller,Paint",
            [("group_aggregate", ()), ("write_report", ("s1",))],
        ),
        (
            "What is 125 * 8 - 360? Then turn the answer into a one-paragraph report.",
            [("arithmetic", ()), ("write_report", ("s1",))],
        ),
        ("Convert 15 km to miles, then multiply that by 4.", [("unit_conversion", ()), ("arithmetic", ("s1",))]),
        (  # a statement before "Then ..." is that request's data, not a step
            "My scores were 88, 92 and 79. Then give me the average.",
            [("statistics", ())],
        ),
        (  # an earlier result in other units, or shared out
            "my runs this week were 4.5, 3.8, 4.9 and 4.2 km. whats the average, and then what is that average in "
            "miles?",
            [("statistics", ()), ("unit_conversion", ("s1",))],
        ),
        (
            "I have 2.5 kg of rice. Convert that to grams, and then split the result into 8 equal portions.",
            [("unit_conversion", ()), ("arithmetic", ("s1",))],
        ),
        (  # " - and after that", "what the numbers show"; the table goes to the step that groups it
            "I need the hours per project added up - and after that an outline of what the numbers show.\n\n"
            "project,hours\nApollo,12.5\nBorealis,8\nApollo,6",
            [("group_aggregate", ()), ("outline", ("s1",))],
        ),
        (
            "compute the mean of these response times in ms: 120, 135, 150 -- then write a short report on the result",
            [("statistics", ()), ("write_report", ("s1",))],
        ),
        (  # "its" points at the same text, not at the summary: no dependency, both get the text
            "Summarize this text and list its keywords: Solar power grew. Panel prices fell. Grids adapted.",
            [("summarize", ()), ("keywords", ())],
        ),
        # found by the fourteenth blind set
        (
            "How many km is a marathon (26.2 miles)? Then turn that into hours if I run at a steady 12 km/h.",
            [("unit_conversion", ()), ("unit_conversion", ("s1",))],
        ),
        (  # a statement of the numbers, then the order that works on them
            "Dose check: the child weighs 18 kg and the dose is 15 mg per kg. Work out the dose, then convert it to "
            "grams.",
            [("arithmetic", ()), ("unit_conversion", ("s1",))],
        ),
        (
            "My hens laid 41, 38, 44 and 40 eggs. What's the daily average? and write a two-line summary of the "
            "result for my partner",
            [("statistics", ()), ("executive_summary", ("s1",))],
        ),
        (  # the quoted comment is the data of the request after it
            'A visitor left this comment: "I loved the new hall. The guide was wonderful and funny, and the kids '
            'were thrilled." Summarize it in one sentence, then tell me whether that summary is positive.',
            [("summarize", ()), ("sentiment", ("s1",))],
        ),
        (  # the quote belongs to both questions of the sentence above it, not to the first alone
            "my manager posted this in slack — how does it read tone-wise, and what are the key words?\n\n"
            "> Huge thanks to everyone for the release last night. The release went smoothly and customers "
            "already love the new search.",
            [("sentiment", ()), ("keywords", ())],
        ),
        (  # "Separately": no dependency; a price per word is arithmetic
            'Count the words in this sentence: "The contract enters into force on signing." Separately, how much '
            "do I invoice for a 2,350-word job at 0.12 euros per word?",
            [("text_stats", ()), ("arithmetic", ())],
        ),
        (  # both questions name the table's columns and values: a count per side, and the rows holding one
            "Guest list below. How many guests are on each side? And how many people ordered the vegetarian "
            "meal?\n\nname,side,meal\nAlice,Bride,vegetarian\nBruno,Groom,beef\nCarla,Bride,fish",
            [("group_aggregate", ()), ("query_table", ())],
        ),
        (  # the numbers told first are the sum's; the note needs the sum
            "sales by day this weekend were 412.75, 389.20, 455.00 and 298.60. add them up and then write a quick "
            "note with the total for my business partner",
            [("statistics", ()), ("write_report", ("s1",))],
        ),
        (  # "use those" is the keywords just found
            "pull the top 5 keywords out of this transcript, then use those to write a short report for our "
            'sponsor: "Today we visited three radio stations. Volunteers host every show. Listeners raised money."',
            [("keywords", ()), ("write_report", ("s1",))],
        ),
        (  # a reported request ("Boss asked for") asks; "then" a report of it
            "Boss asked for total pallets per route from this week's loads, then a short report on it",
            [("group_aggregate", ()), ("write_report", ("s1",))],
        ),
        (  # the notes told after the request are its material, as points or as sentences
            "can u turn my design notes into a bullet outline for the team?\n- players start with 3 lanterns and 5 "
            "gold\n- storm deck has 12 cards, shuffle after round 4\n- playtesters said the endgame drags",
            [("outline", ())],
        ),
        (  # the word count and the reading ease of one summary are one step
            "Summarise this in 2 sentences: The storm arrived on Thursday night and knocked out power. Crews worked "
            "through Friday. Most homes had power again by Saturday.\nThen give me the word count and reading ease of "
            "your summary.",
            [("summarize", ()), ("text_stats", ("s1",))],
        ),
        (  # an earlier result's distance from a mark is a subtraction, not another conversion
            "convert 39.4 C to F, then use that to work out how many degrees above 98.6 F it is",
            [("unit_conversion", ()), ("arithmetic", ("s1",))],
        ),
        (  # "that many kilograms", "that number of miles" are the result before
            "Work out 1450 * 0.18, then take that many kilograms and convert it to pounds.",
            [("arithmetic", ()), ("unit_conversion", ("s1",))],
        ),
        (
            "Convert 42 km to miles, and then divide that number of miles by 3.",
            [("unit_conversion", ()), ("arithmetic", ("s1",))],
        ),
        (  # the numbers wanted, announced before a colon, are requests
            "I need two numbers: 7 factorial, and the population standard deviation of 2, 4, 4, 4, 5, 5, 7, 9.",
            [("arithmetic", ()), ("statistics", ())],
        ),
        (  # a price of an earlier result; "turn that into a note" writes
            "we dug 340 lb of potatoes today. convert that to kg, then work out what it's worth at €1.20 per kg",
            [("unit_conversion", ()), ("arithmetic", ("s1",))],
        ),
        (
            "Reading minutes logged this week were 20, 35, 15, 40, 30 and 25. Work out the average and then turn "
            "that into a short note for the parents",
            [("statistics", ()), ("write_report", ("s1",))],
        ),
        (  # notes in a dashed line after "my scribbles"
            "could you turn my scribbles into a tidy little report for the couple? - dance floor full from 9 till "
            "close - first dance went perfectly - power cut for 5 min at 10:40 - 14 song requests, played 12",
            [("write_report", ())],
        ),
        (  # amounts under their names after a colon are the data; "use that number" the sum
            "Add up the car service bill: 145 labour, 89.50 parts, 230 tyres and 60 for the MOT. Use that number to "
            "work out 20% VAT on top.",
            [("statistics", ()), ("arithmetic", ("s1",))],
        ),
        (  # "a two line note" is a note
            "the trip costs £18.50 per pupil and 27 kids are going. what's the total? also write a two line note to "
            "parents about the payment",
            [("arithmetic", ()), ("write_report", ("s1",))],
        ),
        (  # what the work is for ("tomorrow's standup") asks for no live information
            "find the median of these API response times (ms): 120, 340, 95, 210, 180 -- then turn the result into a "
            "bullet outline for tomorrow's ops standup",
            [("statistics", ()), ("outline", ("s1",))],
        ),
        (  # "We need volunteers" is one of the notes, not a request
            "My notes from the regional beekeepers meeting are a mess, could you write them up as a proper short "
            "report? Swarm season started two weeks early this year. Varroa counts are higher than last year. We "
            "need volunteers for the county fair booth.",
            [("write_report", ())],
        ),
        (  # the notes told after the request are its material
            "Can you turn these notes into a bullet outline for the couple? Ceremony 3pm at the orchard, guests "
            "seated by 2:45. Photos by the barn from 3:45 to 4:30. Dinner at 5 in the tent, speeches between courses.",
            [("outline", ())],
        ),
    ],
)
async def test_references_to_results_make_dependencies(
    roster: list[Worker], similarity: Similarity, goal: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert shape(await plan(roster, similarity, goal)) == expected


@pytest.mark.parametrize(
    "goal, served, unserved_words",
    [
        ("Compute 17 * 23, and reverse the text 'stressed'.", ["arithmetic"], ["reverse"]),
        ("Compute 250 * 4 and order a pizza for delivery at 8pm.", ["arithmetic"], ["order a pizza"]),
        ("Translate 'hello' to French and tell me the square root of 144", ["arithmetic"], ["translate"]),
        ("What's 64 * 25? And text the answer to my brother.", ["arithmetic"], ["text"]),
        ("Book me a flight to Lisbon next Friday.", [], ["book"]),
        ("Send an email to my landlord saying the heating is broken.", [], ["send"]),
        ("Write a Python function that sorts a list.", [], ["write a Python"]),
        ("What's the weather in Paris tomorrow?", [], [""]),
        ("Fasse diesen Text zusammen: Der Hund lief schnell. Die Katze schlief.", [], ["German"]),
        # found by hand through `switchboard up`: each lost its second part once
        ("convert 3.5 gallons to litres and tell me how many seconds are in a week", ["unit_conversion"] * 2, []),
        (
            "A recipe needs 250 grams of flour. How many ounces is the flour? Also buy me some eggs.",
            ["unit_conversion"],
            ["buy me some eggs"],
        ),
        (
            'Here is a customer email: "The kettle never arrived. I want a refund." What\'s the tone of it, and draft '
            "a reply apologising?",
            ["sentiment"],
            ["draft a reply"],
        ),
        (
            "What's 2 plus 2, what's the capital of Peru, and summarize the following: The bridge opened in 1932. "
            "It carries eight lanes.",
            ["arithmetic", "summarize"],
            [""],
        ),
        # a product named as a noun, not a verb: one of two things asked of the same text
        (
            "Give me the keywords and a haiku of this review: 'The battery is awful. Worst purchase.'",
            ["keywords"],
            ["haiku"],
        ),
        (
            "I need the sentiment and a French translation of this: The battery is awful.",
            ["sentiment"],
            ["translation"],
        ),
        ("kw + sentiment: The new battery is awful. The battery gets hot.", ["keywords", "sentiment"], []),
        (  # a short request put to the worker ("can you also ...") is a request, not an afterthought
            "What's 1200 / 16? And can you also renew my car insurance online",
            ["arithmetic"],
            ["renew"],
        ),
        (  # "keywords too" after quoted text is a second request of the same text
            'What\'s the sentiment of this card: "The nurses were kind and patient. The ward was clean and quiet." '
            "keywords too",
            ["sentiment", "keywords"],
            [],
        ),
        (  # a part code is no product, "right now" asks a live price; a count at a price in cents is
            "what's 18 mph in km/h? btw how much is a 700x25c inner tube on Wiggle right now. and 4 tubes at 6.99 is?",
            ["unit_conversion", "arithmetic"],
            ["live"],
        ),
        (  # a conversion asked after a lead-in with a colon, then another, then a message no worker sends
            "baking for the school fair: how many grams is 8 oz of butter, what's 180 C in F, and then WhatsApp it "
            "to mum",
            ["unit_conversion", "unit_conversion"],
            ["whatsapp"],
        ),
        (  # forwarding gives nothing to count: "it" is the text
            "Give me the keywords of this text: 'Sourdough needs time. The dough rests overnight. A good sourdough "
            "has an open crumb.'. Forward the list to Hannah. Also how many sentences does it have?",
            ["keywords", "text_stats"],
            ["forward"],
        ),
        (  # "as well as sending it" is a request: send it
            "Write an executive summary of these board notes as well as sending it to the board members tonight: The "
            "quarter closed with revenue of 1.8 million, up 9% on last year. Two large customers renewed. Hiring is "
            "behind plan.",
            ["executive_summary"],
            ["send"],
        ),
        (  # a verb and its object after ", and" is a request, even one no card knows
            "The total of 120, 80 and 45 please, and fax it to my accountant.",
            ["statistics"],
            ["fax"],
        ),
        (  # what cannot be done is reminding, not knowing the news
            "What does the A2A spec say about push notification security? Also remind me tomorrow to check it.",
            ["search_documents"],
            ["remind"],
        ),
        (  # a rate per period times the periods, and a payment no worker makes
            "Work out 8 hours at 15.75 an hour for the dog-sitter and transfer the money to her bank account.",
            ["arithmetic"],
            ["transfer"],
        ),
        (  # the statement's numbers go to the calculation, not to the post
            "sold 40 boxes of strawbs at $6.50 each today!! work out the takings and post it on our farm instagram",
            ["arithmetic"],
            ["post"],
        ),
        (  # "how much is that" of its own amount, not of the part before it that cannot be served
            "Can you check the auction house website for what this artist's lithographs are going for right now? "
            "Also the buyer's premium is 12% on a hammer price of 8,400 - how much is that",
            ["arithmetic"],
            ["browse"],
        ),
        (
            "work out 38 members x 15 pounds subs and email the total to Margaret before Thursday's rehearsal",
            ["arithmetic"],
            ["email"],
        ),
    ],
)
async def test_every_part_is_served_or_named_with_a_reason(
    roster: list[Worker], similarity: Similarity, goal: str, served: list[str], unserved_words: list[str]
) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == served
    assert len(result.unserved) == len(unserved_words), result.unserved
    for part, words in zip(result.unserved, unserved_words, strict=True):
        assert words in part.reason and part.text, part
    validate_plan(result, {s.id for w in roster for s in w.skills}, max_subtasks=12)


async def test_a_part_that_needs_an_unserved_part_is_unserved_too(roster: list[Worker], similarity: Similarity) -> None:
    result = await plan(roster, similarity, "Translate 'good night' into Italian, then summarize the result.")
    assert not result.subtasks
    assert [u.reason for u in result.unserved][1] == "it needs the result of a part that cannot be served"


async def test_attachments_go_to_the_steps_that_want_material(roster: list[Worker], similarity: Similarity) -> None:
    result = await plan(
        roster,
        similarity,
        "Group the attached sales by region and sum revenue, then write a report on the results.",
        "sales.csv (text/csv)",
    )
    assert [(s.skill, s.depends_on, s.attachments) for s in result.subtasks] == [
        ("group_aggregate", (), (0,)),
        ("write_report", ("s1",), ()),
    ]


async def test_a_follow_up_question_about_the_attached_table_is_the_same_step(
    roster: list[Worker], similarity: Similarity
) -> None:
    goal = "What columns are in this file and what kind of data does each hold?"
    result = await plan(roster, similarity, goal, "employees.csv (text/csv)")
    assert [(s.skill, s.brief) for s in result.subtasks] == [("describe_table", goal)]


async def test_parts_with_their_own_numbers_read_no_attachment_and_need_no_earlier_step(
    roster: list[Worker], similarity: Similarity
) -> None:
    goal = (
        "Some housekeeping before planning day. Our API response times were 120, 135, 150, 128 and 410 ms; give "
        "me the mean, the median and the interquartile range. We archived 3.2 TB of logs, how many GiB is that? "
        "And the sprint velocities are in the attached file: which team has the highest average velocity?"
    )
    result = await plan(roster, similarity, goal, "velocity.csv (text/csv)")
    assert [(s.skill, s.depends_on, s.attachments) for s in result.subtasks] == [
        ("statistics", (), ()),
        ("unit_conversion", (), ()),
        ("group_aggregate", (), (0,)),  # a ranking of averages per team is a grouping
    ]


async def test_a_question_going_on_with_and_asks_of_the_same_numbers(
    roster: list[Worker], similarity: Similarity
) -> None:
    goal = (
        "We had 23 volunteers on Saturday, 31 on Sunday and 18 on Monday.\nHow many is that in total?\n"
        "And what's the average per day?"
    )
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == ["arithmetic", "statistics"]
    assert all("23" in s.brief and not s.depends_on for s in result.subtasks)


async def test_a_lead_in_before_the_colon_is_not_the_material(roster: list[Worker], similarity: Similarity) -> None:
    text = "The new city library opened on Monday to cheering crowds. Families filled the reading rooms."
    goal = (
        f"Before I file this: what's the word count of my lede, and does it come across positive or negative?\n\n{text}"
    )
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == ["text_stats", "sentiment"]
    first = result.subtasks[0].brief
    assert first.startswith("what's the word count") and text in first


@pytest.mark.parametrize(
    "goal, skills",
    [
        # a clause with numbers is the subject of the question after it
        ("The data centre move is 2,450 km by road; what is that in miles?", ["unit_conversion"]),
        ("Ticket sales are 86 tables at 1,250 pounds each; what is the total?", ["arithmetic"]),
        ("The team logged these resolution times in minutes: 42, 15, 88 - I need the median.", ["statistics"]),
        (  # "3 things ...:" announces them; each is its own request
            "Member asked me 3 things at the front desk lol: whats 225 lb in kg, how many miles is a 5k, and what's "
            "15% of 1,200 calories",
            ["unit_conversion", "unit_conversion", "arithmetic"],
        ),
        (  # who is asking is no request; "And unrelated," opens one
            "new to A2A here. Where does a server publish its agent card? And unrelated, if my client polls a task "
            "every 2.5 seconds for 3 minutes, how many requests is that?",
            ["answer_question", "arithmetic"],
        ),
        (  # a lower-case "oh and" after a full stop starts a sentence; a question asked without its "?"
            "I charge 0.12 EUR per word and the contract is 8,450 words, what do I invoice? Also if I finish it in "
            "26 hours how many words per hour is that. oh and my thermometer says 72 F, what's that in celsius",
            ["arithmetic", "arithmetic", "unit_conversion"],
        ),
        (  # numbers under a label are the data of the request after them; "a brief note" is a report
            "Vaccine fridge log this week (°C): 3.1, 4.2, 5.0, 3.8. Work out the mean and the maximum, then write a "
            "brief note for the pharmacy team summarising the findings.",
            ["statistics", "write_report"],
        ),
        (  # a labelled quote, then what to do with it in lower case
            'session recap from last night: "The party entered the dragon cave at dawn. They found a sleeping '
            'dragon." pull out the keywords, then use them to write an outline',
            ["keywords", "outline"],
        ),
        (
            "How much honey did each apiary produce in total?\nhive,apiary,honey_kg\nH1,Orchard,22.5\nH2,Meadow,25",
            ["group_aggregate"],
        ),
        ("Can you give me the average per day last week? Mon 212, Tue 198, Wed 240, Thu 225", ["statistics"]),
        # found by the seventeenth blind set
        (  # why the asker asks, told as a participle, asks nothing
            "How far is 26.2 miles in kilometres? Trying to explain marathon distance to my new group lol",
            ["unit_conversion"],
        ),
        (  # a statement with its request after a dash is no statement
            "bookings per day this week were 6, 9, 7, 11, 8, 5, 10 - can u get the average and the standard "
            "deviation and then do a little bullet outline for the staff noticeboard",
            ["statistics", "outline"],
        ),
        (  # the text after the colon ends where a line asks something new
            "How many words is this standfirst: The council approved a footbridge. Work begins in spring.\nAlso "
            "our freelancer rate is 0.12 per word, what do we owe for an 850 word piece?",
            ["text_stats", "arithmetic"],
        ),
        (  # amounts under their names are numbers, not a text
            "add up these quotes for me: venue 4200, flowers 1850, photographer 3100, cake 675, band 960. then make "
            "a bullet outline of the total i can send the couple",
            ["statistics", "outline"],
        ),
        (  # the first paragraph is the request when the other is a table
            "need total parcels and total miles for each driver for the invoice\n\ndate,driver,parcels,miles\n"
            "Mon,Kev,84,112\nMon,Priya,97,98\nTue,Kev,76,120",
            ["group_aggregate"],
        ),
        (  # "of these" points at the lines below
            "make a bullet outline of these for the noticeboard pls\nAGM notes - 14 members came. Water bills went "
            "up so we agreed a 5 pound rise in plot fees. The shed roof leaks and needs fixing before winter.",
            ["outline"],
        ),
        ("hi! 142 guests confirmed for the Hendersons dinner at 38.50 a head, what does that come to", ["arithmetic"]),
        (
            "Here are the marks from my class test: 14, 17, 9, 20, 16, 12. Give me the median, and then jot down a "
            "short note for the parents about how the class did",
            ["statistics", "write_report"],
        ),
        (
            'Got this from a customer: "The delivery came two days late and the box was crushed. Not impressed." '
            "How does it come across? Oh and how many words is it",
            ["sentiment", "text_stats"],
        ),
        (  # something that happened, told before the requests
            'New client sent a sample to quote on. How many words is this bit: "The warranty covers all parts for '
            'two years." And the full document is 2,340 words, at EUR 0.09 per word what do I charge?',
            ["text_stats", "arithmetic"],
        ),
        (  # the asker's question after the list they gave
            "Here's my shopping list: eggs 2.40, milk 1.15, bread 3.20, coffee 6.75. Whats the total and which was the "
            "priciest?",
            ["statistics"],
        ),
        (  # a pace asked of a run told first, and a conversion
            "I ran 10 km in 52 minutes this morning. What was my pace in minutes per km? And how many miles is 10 km?",
            ["arithmetic", "unit_conversion"],
        ),
        (  # "plus" after quoted text joins another request, not a sum
            'Pull the main keywords out of this for our flyer: "Our community garden needs more volunteers. The garden '
            'opens at eight on Saturdays. New volunteers get a short tour of the garden." plus 500 g in pounds',
            ["keywords", "unit_conversion"],
        ),
        ("Book sale question - how much is a 24.99 book with 30% off?", ["arithmetic"]),  # a book, not a booking
        (  # ", plus" after a list joins another request
            "Mean and median of our monthly electricity bills 312, 298, 345, 401, 276, 330, plus how many GiB is 45 GB",
            ["statistics", "unit_conversion"],
        ),
        (  # "Also, how do I ...?" is another question for the library, not the same one
            "How should an orchestrator pick which worker gets a subtask? Also, how do I cancel a task that's already "
            "running?",
            ["answer_question", "answer_question"],
        ),
        (
            "customer wants 2.5 m of this fabric, what is that in yards? plus 3 m at 12.40 a metre",
            ["unit_conversion", "arithmetic"],
        ),
        (  # a reported question asks it
            "customer asked how many kg 25 lb of spuds is, and also what 3.5 kg of honey comes to at $4.80 a kg?",
            ["unit_conversion", "arithmetic"],
        ),
        (  # so does "Material:"
            "Could you write a one-paragraph executive summary on switching our office lighting to LED? Material: "
            "LED tubes use about half the electricity. They last three times longer. The upfront cost is 6,200.",
            ["executive_summary"],
        ),
        (  # "notes:" after a request for a summary labels its material
            "my accountant wants a one-paragraph summary of how the bakery did in May. notes: Sales were up 9% on "
            "April, mostly from the new rye loaf. Flour went up again. We lost two wholesale customers.",
            ["executive_summary"],
        ),
        (  # the lines below a request that points at "this listing" are the listing
            "Can you boil this listing down to 2 sentences for the window card?\nCharming three-bedroom terrace "
            "on a quiet street.\nThe ground floor has a bay-fronted living room, a dining room and a kitchen.\n"
            "The south-facing garden is around 60 feet long.",
            ["summarize"],
        ),
        (  # one text, two questions of the same skill, the text pasted after the second
            "is my website bio too long/hard to read? can i get the word count and readability score:\n\"I'm "
            'Danny, a DJ based in Bristol. For ten years I have played everything. I meet every couple first."',
            ["text_stats"],
        ),
        (  # "and also" a second product of the same verb, of the same notes
            "Can you give me a 2 sentence summary of these show notes and also the main keywords for SEO?\n\n"
            "This week we talk about choosing a first microphone for home recording. Our guest explains the "
            "difference between dynamic and condenser microphones.",
            ["summarize", "keywords"],
        ),
    ],
)
async def test_statements_lead_ins_and_asides_are_read_as_meant(
    roster: list[Worker], similarity: Similarity, goal: str, skills: list[str]
) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == skills and not result.unserved


@pytest.mark.parametrize(
    "goal, steps, attachments",
    [
        # found by the twenty-fifth and twenty-sixth blind sets
        (  # what a request works on, said before it, is no statement told as context
            "From the attached timesheet, total the hours for each person. Also convert 37.5 hours into minutes.",
            [("group_aggregate", ()), ("unit_conversion", ())],
            ("timesheet.csv (text/csv)",),
        ),
        (
            "Using the attached sales.csv, give me the average price per category, and also tell me which item is "
            "the cheapest.",
            [("group_aggregate", ()), ("query_table", ())],
            ("sales.csv (text/csv)",),
        ),
        (  # the data after a colon in a numbered item ends with the item
            "Marking tests tonight.\n1. mean and median of these scores: 72, 85, 91, 68, 77, 85, 94\n2. what is 85 "
            "divided by 120, times 100?",
            [("statistics", ()), ("arithmetic", ())],
            (),
        ),
        (  # notes end where "Separately," asks something new
            "Make a bullet outline of these notes: The bakery opened in March. Sales of bread doubled by June. The "
            "owner plans a second bakery in the autumn.\n\nSeparately, what's 3 * 14.50 + 2 * 8.25?",
            [("outline", ()), ("arithmetic", ())],
            (),
        ),
        (  # a second piece of work on the same text, for the skill that fits it
            "Give me a one-sentence summary of the text below, and tell me how many words it has.\n\nThe library "
            "opened a new reading room in the spring. Visitors to the library doubled within a month.",
            [("summarize", ()), ("text_stats", ())],
            (),
        ),
        (  # who asks is no request, and the statement after it is the question's context
            "quick one from a night-shift nurse: patient weighs 68 kg and the order is 1.5 mg per kg. what's 68 x 1.5?",
            [("arithmetic", ())],
            (),
        ),
        (  # the uses of numbers of an expression carry no unit to convert
            "Long haul tomorrow, 350 miles. How many km is that? And how many hours is 350 / 55?",
            [("unit_conversion", ()), ("arithmetic", ())],
            (),
        ),
        (  # "the total" is the answer before, not the invoices again
            "Three invoices came in today: 120, 340.50 and 89.99. Add them up and put the total into a bullet "
            "outline I can forward to my accountant.",
            [("statistics", ()), ("outline", ("s1",))],
            (),
        ),
        (  # the last of a list of measures is no request of its own
            "I've been logging my runs in a spreadsheet (attached). Could you give me an overview of each column, "
            "like the min, max and average?",
            [("describe_table", ())],
            ("runs.csv (text/csv)",),
        ),
        (  # a title is no request; a threshold is no operand; "Sort them" orders the rows the question found
            "Garden centre stock check. Which plants have fewer than 10 in stock? Sort them lowest stock first.\n\n"
            "plant,category,stock,price\nlavender,perennial,24,4.50\nfoxglove,perennial,7,3.80\nbasil,herb,3,2.20",
            [("query_table", ())],
            (),
        ),
        (
            'A customer left this on our page, is it as bad as I think? "The soup was cold. Never again."',
            [("sentiment", ())],
            (),
        ),
        ("75 inches in centimetres", [("unit_conversion", ())], ()),
        (
            "I've logged my hens' eggs and feed for eight weeks (attached). Can you give me a quick overview of each "
            "column, like the averages and ranges?",
            [("describe_table", ())],
            ("hens.csv (text/csv)",),
        ),
        ("tell me what three tickets at 47.50 each would cost in total", [("arithmetic", ())], ()),
    ],
)
async def test_goals_of_new_users_are_read_as_meant(
    roster: list[Worker],
    similarity: Similarity,
    goal: str,
    steps: list[tuple[str, tuple[str, ...]]],
    attachments: tuple[str, ...],
) -> None:
    result = await plan(roster, similarity, goal, *attachments)
    assert shape(result) == steps and not result.unserved


@pytest.mark.parametrize(
    "goal, skills, unserved",
    [
        # found by the twenty-seventh and twenty-eighth blind sets: colleagues at work, and phone typing
        ("hw many kg is 165 lbs", ["unit_conversion"], 0),  # short forms written out
        ("convert 30c to f also 10 inches to cm thx", ["unit_conversion", "unit_conversion"], 0),
        ("1.5 km in miles + 20% of 65 + median of 4 9 2 7", ["unit_conversion", "arithmetic", "statistics"], 0),
        ("need the avg of 12 15 9 and 22 + whats 100 kg in lbs", ["statistics", "unit_conversion"], 0),
        (
            "ok so i have 3 boxes at 4.99 each plus 2 at 12.50 whats the total, oh and whats 2 kg in pounds",
            ["arithmetic", "unit_conversion"],
            0,
        ),
        ("whats the weather tmrw in leeds and 18c in f", ["unit_conversion"], 1),
        ("order pizza for 8pm pls and split 47.60 between 4 ppl", ["arithmetic"], 1),
        ("Evaluate sqrt(2025) + factorial(3).", ["arithmetic"], 0),  # one sum
        ("What's 1200 / 16? And can you also renew my car insurance online", ["arithmetic"], 1),
        (  # the heading's own question follows its numbers; "Unrelated," another request
            "Support weekly numbers for the ops review: tickets per week were 42, 38, 51, 47, 40 and 45, so what's "
            "the mean and standard deviation? Unrelated, the SLA doc says three weeks for escalations; how many hours "
            "is 3 weeks?",
            ["statistics", "unit_conversion"],
            0,
        ),
        (  # data under a heading ends where a request begins
            "Landing page test results are in: 342 signups out of 9,500 visitors. Calculate the conversion rate as a "
            "percentage, and then draft a two-sentence executive summary of it for Monday's update.",
            ["arithmetic", "executive_summary"],
            0,
        ),
        (
            "Payroll prep, three quick ones please: annual hours for 52 weeks at 37.5 hours a week; the median of "
            "these salaries in thousands: 48, 52, 61, 45, 70, 55; and how many minutes are in a 7.5-hour shift?",
            ["arithmetic", "statistics", "unit_conversion"],
            0,
        ),
        (
            "Warehouse log says the chest freezer is holding at -18 °C. The US supplier's audit form only takes "
            "Fahrenheit, so what number do I put down?",
            ["unit_conversion"],
            0,
        ),
        (
            "For the invoice run I need today's EUR to USD exchange rate from the bank, plus 4,200 × 1.08.",
            ["arithmetic"],
            1,
        ),
        ("my trip costs 18.50 per day for 4 days. total? also what's that in euros", ["arithmetic"], 1),
        (  # found by hand: a task named before a quote is no label; an action after a statement is named
            'Jot down the word count for this: "Parking on the verge is not allowed from Monday." Also how many '
            "feet is 3.2 metres",
            ["text_stats", "unit_conversion"],
            0,
        ),
        ("my phone plan is 22.50 a month plus 3 a month. and cancel the insurance add-on", [], 1),
        (  # found by the thirtieth blind set
            "We're driving to my sister's, it's 310 km each way and the car uses about 6.8 litres per 100 km. How "
            "much fuel will one way take, and what's 310 km in miles?",
            ["arithmetic", "unit_conversion"],
            0,
        ),
        (
            "My electricity bills for the last six months were 84, 92, 110, 125, 98 and 76. What's the average "
            "monthly bill? Then multiply that average by 12 to give me a rough yearly figure.",
            ["statistics", "arithmetic"],
            0,
        ),
        (
            "my last three essays were 1200, 950 and 1430 words long. What's my average essay length? And if I type "
            "at 40 words per minute, how many minutes would a 1500 word essay take to type?",
            ["statistics", "arithmetic"],
            0,
        ),
        (
            "Our dog Bella eats 180 g of food twice a day. How many grams does she get through in a week? Also, can "
            "you ring the vet and move her check-up to Thursday?",
            ["arithmetic"],
            1,
        ),
        (
            "Marketing here, sanity-checking the newsletter intro. Can you give me its word count and reading ease, "
            "and separately the top 5 keywords? Intro: Our loyalty program rewards customers who shop with us every "
            "month. Members collect points on every order.",
            ["text_stats", "keywords"],
            0,
        ),
        (
            "How many words is the notice I'm taping to the kitchen door, and is it easy to read? \"Please wash "
            'your own cups. The dishwasher runs at five every evening."',
            ["text_stats"],
            0,
        ),
    ],
)
async def test_goals_typed_in_a_hurry_or_at_work_are_read_as_meant(
    roster: list[Worker], similarity: Similarity, goal: str, skills: list[str], unserved: int
) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == skills and len(result.unserved) == unserved, result


async def test_signing_someone_up_is_named_beside_the_calculation(roster: list[Worker], similarity: Similarity) -> None:
    result = await plan(
        roster,
        similarity,
        "swim club charges 7.25 a session and she goes twice a week - what's that over 6 weeks? and sign her up for "
        "the spring term",
    )
    assert [s.skill for s in result.subtasks] == ["arithmetic"]
    assert [u.text for u in result.unserved] == ["sign her up for the spring term"]


@pytest.mark.parametrize(
    "goal, skills, count",
    [
        (
            "I charge 0.12 EUR per word and the contract is 8,450 words, what do I invoice? Also if I finish it in "
            "26 hours how many words per hour is that?",
            ["arithmetic", "arithmetic"],
            "8,450 words",
        ),
        (  # how long an amount told before takes at a rate
            "my water butt holds 190 litres, how many gallons is that? and if the hose runs 12 litres a minute how "
            "long to empty it",
            ["unit_conversion", "arithmetic"],
            "190 litres",
        ),
    ],
)
async def test_a_rate_asked_later_carries_the_count_it_divides(
    roster: list[Worker], similarity: Similarity, goal: str, skills: list[str], count: str
) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] == skills
    assert count in result.subtasks[1].brief and not result.subtasks[1].depends_on


@pytest.mark.parametrize(
    "goal",
    [
        "sorry if this is a dumb question, i'm brand new to A2A - what actually is an agent card and where do you "
        "find it?",
        "how do push notifications and webhooks work, and is there anything I should worry about security wise",
        "What are the different states a task can be in? Someone said mine was 'input-required' and I don't know "
        "what that means",
        "Could a worker agent be tricked by instructions hidden in a document it reads? How do people guard "
        "against prompt injection?",
    ],
)
async def test_questions_in_a_row_for_the_library_are_asked_together(
    roster: list[Worker], similarity: Similarity, goal: str
) -> None:
    result = await plan(roster, similarity, goal)
    assert len(result.subtasks) == 1 and result.subtasks[0].skill in ("answer_question", "search_documents")
    assert not result.unserved


@pytest.mark.parametrize(
    "goal",
    [
        "which genre sold most copies last month? total copies per genre please, spreadsheet attached",
        # what was done, told by its participle, is context; the groups asked for are the ones named
        "exported march purchases from the spreadsheet (attached). which supplier did we spend the most with? "
        "total per supplier would be great",
    ],
)
async def test_a_question_for_the_top_group_and_the_totals_per_group_is_one_grouping(
    roster: list[Worker], similarity: Similarity, goal: str
) -> None:
    result = await plan(roster, similarity, goal, "march_sales.csv (text/csv)")
    assert [s.skill for s in result.subtasks] == ["group_aggregate"]


@pytest.mark.parametrize(
    "goal, expected, unserved_words",
    [
        (  # an action on people is not served by the table it names
            "Call the top three sellers to congratulate them. Actually first, who are the top 3 by units sold in this?",
            [("query_table", ())],
            ["call"],
        ),
        (
            "Sum the expenses by category, what's 1840 / 12, and then print the table for my accountant",
            [("group_aggregate", ()), ("arithmetic", ())],
            ["print"],
        ),
        (  # a total of all rows asks the sheet again, not the rows found before it
            "From the rent sheet: which tenants are behind (months_late above 0)? what's the total monthly rent "
            "across all flats? and text the late ones a reminder",
            [("query_table", ()), ("group_aggregate", ())],
            ["text"],
        ),
        (  # the news asked beside an attached sheet is still the news
            "total expenses per department from the attached, pay the outstanding ones through the bank, also whats "
            "the news on the rail strike tomorrow",
            [("group_aggregate", ())],
            ["pay", "live"],
        ),
        (  # "once you've worked out" asks it first
            "Post the results on the school website once you've worked out the average score per class from the "
            "attached.",
            [("group_aggregate", ())],
            ["post"],
        ),
    ],
)
async def test_actions_in_the_world_beside_table_questions_are_named(
    roster: list[Worker],
    similarity: Similarity,
    goal: str,
    expected: list[tuple[str, tuple[str, ...]]],
    unserved_words: list[str],
) -> None:
    result = await plan(roster, similarity, goal, "sheet.csv (text/csv)")
    assert shape(result) == expected
    assert all(s.attachments == (0,) for s in result.subtasks if s.skill != "arithmetic")
    assert len(result.unserved) == len(unserved_words)
    assert all(w in u.reason for u, w in zip(result.unserved, unserved_words, strict=True)), result.unserved


async def test_a_log_of_the_askers_is_a_table_not_live_information(
    roster: list[Worker], similarity: Similarity
) -> None:
    goal = "From our holiday weather log, show me only the days where the max temperature was above 25 C."
    result = await plan(roster, similarity, goal, "lisbon_july.csv (text/csv)")
    assert [(s.skill, s.attachments) for s in result.subtasks] == [("query_table", (0,))]


@pytest.mark.parametrize(
    "goal",
    [
        "first time using this - can you give me an overview of each column in the timesheet export? want to see "
        "averages and anything missing",
        "which values are missing in the attached sheet?",
    ],
)
async def test_a_look_at_every_column_profiles_the_table(
    roster: list[Worker], similarity: Similarity, goal: str
) -> None:
    result = await plan(roster, similarity, goal, "timesheet.csv (text/csv)")
    assert [s.skill for s in result.subtasks] == ["describe_table"]


@pytest.mark.parametrize(
    "goal", ["summarise what a push notification is", "Can you sum up what the A2A agent card is for?"]
)
async def test_summing_up_a_topic_asks_the_library(roster: list[Worker], similarity: Similarity, goal: str) -> None:
    result = await plan(roster, similarity, goal)
    assert [s.skill for s in result.subtasks] in (["answer_question"], ["search_documents"])


async def test_large_data_travels_as_an_input_beside_the_brief(roster: list[Worker], similarity: Similarity) -> None:
    text = " ".join(f"Sentence number {i} says something about the harbour." for i in range(600))
    result = await plan(roster, similarity, f"Summarize this text: {text} Then count the words of the summary.")
    first = result.subtasks[0]
    assert first.brief == "Summarize this text" and first.inputs[0].text.startswith("Sentence number 0")
    worker = next(w for w in roster if w.name == "text_analyst")
    request = build_request(first, worker, results={}, attachments=(), goal_id="g", depth=0, deadline_s=None)
    texts = [p.text for p in request.message.parts]
    assert texts[0] == "Summarize this text" and texts[1].startswith("Sentence number 0")  # the text goes as a part


async def test_too_many_steps_is_a_plan_error(roster: list[Worker], similarity: Similarity) -> None:
    with pytest.raises(PlanError) as caught:
        await plan(roster, similarity, "Convert 10 km to miles. What is 2 + 3? Then write a short report.", limit=2)
    assert "3 steps, more than the limit of 2" in caught.value.problems[0]


# -- validation ---------------------------------------------------------------------------------------------

SKILLS = {"add", "write"}


def make(*subtasks: dict[str, Any]) -> Plan:
    return Plan(subtasks=tuple(Subtask.model_validate({"brief": "do it", **s}) for s in subtasks))


@pytest.mark.parametrize(
    "subtasks, attachments, problems",
    [
        ([{"id": "a", "skill": "teleport"}], 0, ["subtask 'a': unknown skill 'teleport' (known: add, write)"]),
        ([{"id": "a", "skill": "add"}, {"id": "a", "skill": "add"}], 0, ["duplicate subtask ids ['a']"]),
        ([{"id": "a", "skill": "add", "depends_on": ["a"]}], 0, ["subtask 'a' depends on itself"]),
        ([{"id": "a", "skill": "add", "depends_on": ["zz"]}], 0, ["subtask 'a' depends on unknown subtask 'zz'"]),
        (
            [{"id": "a", "skill": "add", "attachments": [0, 2, -1]}],
            2,
            ["subtask 'a': no attachments with indexes [2, -1]"],
        ),
        (
            [{"id": "a", "skill": "add", "depends_on": ["b"]}, {"id": "b", "skill": "add", "depends_on": ["a"]}],
            0,
            ["dependency cycle among ['a', 'b']"],
        ),
        ([{"id": f"s{i}", "skill": "add"} for i in range(4)], 0, ["4 subtasks, more than the limit of 3"]),
        (
            [
                {"id": "a", "skill": "teleport", "depends_on": ["a"]},
                {"id": "a", "skill": "add", "depends_on": ["ghost"], "attachments": [1]},
                {"id": "c", "skill": "write"},
                {"id": "d", "skill": "write"},
            ],
            1,
            [
                "4 subtasks, more than the limit of 3",
                "duplicate subtask ids ['a']",
                "subtask 'a': unknown skill 'teleport' (known: add, write)",
                "subtask 'a' depends on itself",
                "subtask 'a' depends on unknown subtask 'ghost'",
                "subtask 'a': no attachments with indexes [1]",
            ],
        ),
    ],
    ids=["unknown skill", "duplicate", "self", "unknown dep", "attachment", "cycle", "too many", "all at once"],
)
def test_validate_plan_lists_every_problem(
    subtasks: list[dict[str, Any]], attachments: int, problems: list[str]
) -> None:
    with pytest.raises(PlanError) as caught:
        validate_plan(make(*subtasks), SKILLS, max_subtasks=3, attachments=attachments)
    assert caught.value.problems == problems
    assert all(p in caught.value.message for p in problems)


def test_a_plan_of_nothing_is_invalid_but_a_refusal_is_valid() -> None:
    with pytest.raises(PlanError) as caught:
        validate_plan(Plan(), SKILLS, max_subtasks=3)
    assert caught.value.problems == ["the plan has no subtasks"]
    refusal = Plan(unserved=(UnservedPart(text="book a flight", reason="no advertised skill can book"),))
    assert validate_plan(refusal, SKILLS, max_subtasks=3) is refusal


def test_a_valid_dag_passes_unchanged() -> None:
    good = make(
        {"id": "a", "skill": "add"},
        {"id": "b", "skill": "add", "attachments": [0]},
        {"id": "c", "skill": "write", "depends_on": ["a", "b"]},
    )
    assert validate_plan(good, SKILLS, max_subtasks=3, attachments=1) is good


# -- parsing untrusted plan JSON ----------------------------------------------------------------------------

SUBTASKS = [
    {"id": "a", "skill": "add", "brief": "2 + 2"},
    {"id": "b", "skill": "write", "brief": "r", "depends_on": ["a"]},
]


@pytest.mark.parametrize(
    "data",
    [
        {"subtasks": SUBTASKS},
        {"plan": {"subtasks": SUBTASKS, "rationale": "why"}},
        {"subtasks": SUBTASKS, "usage": {"input_tokens": 10**9}, "constraints": {"deadline_s": 5}},
        {"plan": {"subtasks": SUBTASKS, "source": "claude", "usage": {"output_tokens": 7}}},
    ],
    ids=["bare", "wrapped", "usage and constraints ignored", "source and usage overridden"],
)
def test_parse_plan_accepts_both_shapes(data: dict[str, Any]) -> None:
    parsed = parse_plan(data, source="explicit")
    assert [(s.id, s.skill, s.depends_on) for s in parsed.subtasks] == [("a", "add", ()), ("b", "write", ("a",))]
    assert parsed.source == "explicit"
    assert parsed.usage.input_tokens == 0 and parsed.usage.output_tokens == 0


@pytest.mark.parametrize(
    "data, problem",
    [
        ("not a plan", "plan: Input should be a valid dictionary"),
        ({"subtasks": [{"id": "a", "skill": "add"}]}, "subtasks.0.brief: Field required"),
        ({"subtasks": [{"id": "a b", "skill": "add", "brief": "x"}]}, "subtasks.0.id: String should match pattern"),
        ({"subtasks": [{"id": "a", "skill": "add", "brief": "x", "worker": "http://evil"}]}, "subtasks.0.worker"),
        ({"plan": "x", "subtasks": "y"}, "subtasks: Input should be a valid tuple"),
    ],
)
def test_parse_plan_rejects_malformed_input_readably(data: object, problem: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(data, source="explicit")
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
