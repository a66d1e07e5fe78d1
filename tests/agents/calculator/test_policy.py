"""The calculator's offline policy driving the real agent loop and tools (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.calculator.worker import SPEC
from agents.runtime.loop import AgentLoop, Answer, Outcome, Question, Refusal, ToolFailure
from agents.runtime.messages import Material, WorkerInput
from agents.runtime.offline import OfflineModel
from agents.runtime.tools import Toolbox

CARD = json.loads((Path(__file__).parents[3] / "agent_cards" / "calculator.json").read_text(encoding="utf-8"))
EXAMPLES = [(skill["id"], example) for skill in CARD["skills"] for example in skill["examples"]]


async def run(instruction: str, *materials: Material, skill_hint: str | None = None) -> Outcome:
    loop = AgentLoop(OfflineModel(SPEC.policy), SPEC.system_prompt, Toolbox(SPEC.tools))
    return await loop.run(WorkerInput(instruction=instruction, materials=materials, skill_hint=skill_hint))


def test_skill_tools_cover_the_card() -> None:
    assert set(SPEC.skill_tools) == {skill["id"] for skill in CARD["skills"]}


@pytest.mark.parametrize(("skill", "example"), EXAMPLES)
async def test_card_examples(skill: str, example: str) -> None:
    outcome = await run(example)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.strip()
    assert [r.tool for r in outcome.results] == list(SPEC.skill_tools[skill])


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        ("What is (17 + 25) * 3 - 2^5?", "**94**"),
        ("Calculate 15% of 240.", "**36**"),
        ("what's 12 x 7", "**84**"),
        ("Calculate the square root of 144 plus 3 squared", "**21**"),
        ("Compute 5!", "**120**"),
        ("Convert 10 km to miles.", "6.213711922 mi"),
        ("What is 100°F in Celsius?", "37.77777778 °C"),
        ("How many seconds are in a day?", "86400 s"),
        ("60 mph in km/h please", "96.56064 km/h"),
        ("Compute the mean and standard deviation of 4, 8, 15, 16, 23, 42.", "**Mean:** 18"),
        ("What is the median of 3, 1, 2?", "**Median:** 2"),
        ("Find the mode of: 1 2 2 3 3 4", "**Mode(s):** 2, 3"),
        # amounts in stories read as asked: a tip or commission asked for alone is not added to its amount
        ("a table just left on a $245.60 bill, what would an 18% tip on that be?", "245.60 * 18 / 100"),
        ("The dinner came to $92. What's a 20% tip?", "92 * 20 / 100"),
        ("My bill was $80. What would it be with a 15% tip?", "80 * (1 + 15 / 100)"),
        ("The room is £120 a night plus 10% tax, what do I pay?", "120 * (1 + 10 / 100)"),
        (
            "We did $45k in sessions last quarter and the trainers get 12% commission on that. How much commission "
            "is that in total?",
            "45000 * 12 / 100",
        ),
        ("340 members paying $39.99/month - calculate our monthly revenue", "340 * 39.99"),
        # a count of the numbers that follow is not one of them
        ("our last 5 hikes gained 820 m, 1,150 m, 640 m, 975 m and 1,010 m. whats the average gain?", "= 919 m"),
        # found by the seventeenth blind set and goals tried by hand
        ("142 guests confirmed for the Hendersons dinner at 38.50 a head, what does that come to", "**5467**"),
        ("work out 38 members x 15 pounds subs", "**570**"),
        ("quick one, whats 3/4 inch in mm?? customer wants the pipe size metric", "0.75 in = **19.05 mm**"),
        ("what is 2 1/2 inches in cm", "2.5 in = **6.35 cm**"),
        ("my water butt holds 190 litres. if the hose runs 12 litres a minute how long to empty it", "190 / 12"),
        ("how many hours to read 300 pages at 40 pages an hour", "7.5 hours"),
        # a trip told in any order, a percentage "on" an amount, a share of an amount named elsewhere
        ("the run is 380 miles and the driver averages 55 mph, how many hours is that?", "380 / 55"),
        ("the buyer's premium is 12% on a hammer price of 8,400 - how much is that", "= 1008"),
        ("I should set aside 18% of what I made for taxes. Made $1,240.50 - how much is that", "= 223.29"),
        ("I made 1,240.50 and should set aside 18% for taxes, how much is that?", "= 223.29"),
        ("how much is left after I put aside 20% of it? I earned 3000", "= 2400"),
        # a count of things of a weight each, answered in the unit asked for
        ("work out how many kg 24 jars of 340 g each is", "8160 g = 8.16 kg"),
        ("the document is 2,340 words, at EUR 0.09 per word what do I charge?", "= 210.6"),  # a currency code
        ("if we put the croissants up 15% from €2.40 what would they cost now?", "= 2.76"),
        # a price per period, asked over a longer one; a price with no "each"; beats per minute
        ("48 members each paying £12.50 a quarter, how much is that over a full year?", "= 2400"),
        ("rent is $1,450 a month, what is that per year", "= 17400"),
        ("what do 3 nights at $129 come to with 12% tax added", "= 433.44"),
        ("track is 128 bpm and 3.5 minutes long, how many beats is that?", "= 448"),
        ("show runs 2h 35m and we have 8 performances, total running time in minutes?", "= 1240 min"),
        ("sold 40 boxes of strawbs at $6.50 each today!! work out the takings", "= 260"),  # "!!" is no factorial
        # a price per person and the people counted, those who go free left out
        ("the trip costs £18.50 per pupil and 27 kids are going, plus 3 teachers free. what's the total?", "= 499.5"),
        ("Work out 8 hours at 15.75 an hour for the dog-sitter", "8 * 15.75 = 126"),  # a rate per period
        ("what is 99.9% of 30 days expressed in minutes?", "29.97 days = 43156.8 min"),  # a share of a measure
        ("I ran 10 km in 52 minutes this morning. What was my pace in minutes per km?", "52 / 10 = 5.2 min/km"),
        ("1450 + 320 + 85.50, plus VAT at 20% on top of that total", "= 2226.6"),  # the kind before its rate
        ("whats 3 scarves at 14.99 and 2 hats at 9.50 come to?", "3 * 14.99 + 2 * 9.50 = 63.97"),  # a bill added up
        ("it's £38 each for 3 kids minus a 10% sibling discount, what do I owe", "= 102.6"),
        ("3 m at 12.40 a metre", "3 * 12.40 = 37.2"),  # a measure at a price per unit
        ("fluid intake for bed 7 was 250, 180, 300, 220 and 150 ml - what's the total?", "= 1100"),  # bed 7 names
        ("walk to school is 1.2 miles, how many km?", "1.2 mi = 1.93 km"),
        ("the fridge is at 7 C, how many degrees above 5 C is that?", "7 - 5 = 2"),  # the distance from a mark
        ("add 19.99 and 4.50 and 12.75", "19.99 + 4.50 + 12.75 = 37.24"),  # every number added
        ("my list: eggs 2.40, milk 1.15, coffee 6.75. Whats the total and which was the priciest?", "(coffee)"),
    ],
)
async def test_answers(instruction: str, expected: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    assert expected in outcome.text


@pytest.mark.parametrize(
    ("instruction", "explanation"),
    [
        ("What is 9**9**9**9?", "exponent"),
        ("What is 1/0?", "division by zero"),
        ("Convert 10 blorps to km", "unknown unit 'blorps'"),
        ("Convert 5 kg to meters", "different things"),
    ],
)
async def test_tool_errors_become_explanations(instruction: str, explanation: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, ToolFailure), outcome
    assert "could not complete" in outcome.reason
    assert explanation in outcome.reason


@pytest.mark.parametrize(
    ("instruction", "first_line"),
    [
        ("How much is 1250 divided by 8?", "1250 / 8 = 156.25"),
        ("How many pounds is 68 kg?", "68 kg = 149.91 lb"),
        ("how many kilograms are 5 pounds", "5 lb = 2.27 kg"),
        ("What's the average of 3.5, 4.25, 5 and 7.25?", "Mean of 3.5, 4.25, 5, 7.25 = 5"),
        ("What is 15% of 240", "15 / 100 * 240 = 36"),
        ("what is 2 to the power of 16?", "2 ** 16 = 65536"),
        ("Convert 72 degrees Fahrenheit to Celsius", "72 °F = 22.22 °C"),
        ("Convert 5 pounds to kilograms", "5 lb = 2.27 kg"),
        ("12 squared plus 7", "12 ** 2 + 7 = 151"),
        ("What is (17.5*4)+2**10-33?", "(17.5 * 4) + 2 ** 10 - 33 = 1061"),
        ("the square root of 144", "sqrt(144) = 12"),
        ("what's 3 times 7 minus 4", "3 * 7 - 4 = 17"),
        ("1,250 / 8", "1250 / 8 = 156.25"),
        ("half of 90", "90 / 2 = 45"),
        ("Wie viel ist 17 * 23?", "17 * 23 = 391"),
        ("the sum of 4, 8 and 15", "Sum of 4, 8, 15 = 27"),
        ("what is 20 percent of 80", "20 / 100 * 80 = 16"),
        ("What is five times three?", "5 * 3 = 15"),
        ("Add 17 and 25", "17 + 25 = 42"),
        ("What is -5 + 3?", "-5 + 3 = -2"),
        ("what is 10 km in miles", "10 km = 6.21 mi"),
        ("How many feet are in a mile?", "1 mi = 5280 ft"),
        ("How many square feet is 50 square meters?", "50 m² = 538.2 ft²"),
        ("What is 7 factorial?", "factorial(7) = 5040"),
        ("I need the number of centimeters in 6 feet.", "6 ft = 182.88 cm"),
        ("I ran 10 km this morning. How far is that in miles?", "10 km = 6.21 mi"),
        ("What is a mile in feet?", "1 mi = 5280 ft"),
        ("Calculate (2+3)*4 and then divide by 5", "((2 + 3) * 4) / 5 = 4"),
        ("Take 100, add 20, then divide by 4", "(100 + 20) / 4 = 30"),
        ("What is 3 to the 4th?", "3 ** 4 = 81"),
        ("round 3.14159 to 2 decimals", "round(3.14159, 2) = 3.14"),
        ("what is 5 feet 10 inches in cm", "70 in = 177.8 cm"),
        ("How many seconds are in 3 hours and 20 minutes?", "200 min = 12000 s"),
        ("What is 20% off 80?", "80 * (1 - 20 / 100) = 64"),
        ("increase 50 by 10%", "50 * (1 + 10 / 100) = 55"),
        ("what is a 15% tip on 40", "15 / 100 * 40 = 6"),
        ("what's a 15% tip on an $86 bill?", "15 / 100 * 86 = 12.9"),  # the tip, not the bill with it
        ("What's 8% sales tax on $62.40?", "8 / 100 * 62.40 = 4.992 ≈ 4.99"),
        ("sqaure root of 2025", "sqrt(2025) = 45"),
        ("what's 1,200 minus 15%?", "1200 * (1 - 15 / 100) = 1020"),  # a percentage of the number itself
        ("I ran 10 kilometers this morning. How many miles is that?", "10 km = 6.21 mi"),  # asked after the figure
        ("convert 10 kilomters to miels", "10 km = 6.21 mi"),  # typos of operation and unit words are read through
        ("if gas is $3.45 a gallon, what do 14 gallons cost?", "3.45 * 14 = 48.3 ≈ 48.30"),
        ("what's the total with a 15% tip on an $86 bill?", "86 * (1 + 15 / 100) = 98.9 ≈ 98.90"),
        ("How long does it take to drive 300 miles at 60 mph?", "300 / 60 = 5 h"),
        # calculations told as stories
        ("If a latte is $4.75, how much do 36 lattes come to?", "4.75 * 36 = 171"),
        ("if 14 kids each get 3 cupcakes, how many do I need to bake?", "14 * 3 = 42"),
        ("My car does 6.5 litres per 100 km. How many litres do I need for a 420 km trip?", "6.5 / 100 * 420 = 27.3"),
        ("Dinner was $86.40 split 4 ways, how much each?", "86.40 / 4 = 21.6"),
        ("if the school year is 180 days and 127 have gone by, how many are left?", "180 - 127 = 53"),
        (
            "how many minutes of downtime does 99.95% uptime allow in a 30-day month?",
            "(100 - 99.95) / 100 * 30 * 24 * 60 = 21.6",
        ),
        ("how many minutes to cycle 12 km at 20 km/h", "12 / 20 * 60 = 36 min"),
        ("Divide 10 by 4 and round to the nearest whole number", "round(10 / 4) = 3"),
        ("What is 45 degrees in radians?", "45 * pi / 180 = 0.785398163397"),
        ("What is sin of 30 degrees?", "sin(30 * pi / 180) = 0.5"),
        ("how much is 3 dozen", "3 * 12 = 36"),
        (
            "I sell a desk lamp for 1,249.99 before VAT. With 20% VAT added on top, what does the customer pay?",
            "1249.99 * (1 + 20 / 100) = 1499.988 ≈ 1499.99",
        ),
        (
            "4 notebooks at 2.35 each, with 8% sales tax: what is the total?",
            "(4 * 2.35) * (1 + 8 / 100) = 10.152 ≈ 10.15",
        ),
        ("What is 80 with a 15% discount?", "80 * (1 - 15 / 100) = 68"),
        ("2 tickets for 15 each", "2 * 15 = 30"),
        (
            "we had 43 minutes of downtime in a 30-day month. what's our availability as a percentage?",
            "(1 - 43 / (30 * 24 * 60)) * 100 = 99.900462963",
        ),
        ("2 hours of downtime in a year - what is the uptime?", "(1 - 2 * 60 / (365 * 24 * 60)) * 100 = 99.9771689498"),
        ("what is the square root of 21.25 (round to 2 decimals)", "round(sqrt(21.25), 2) = 4.61"),
        ("What is the median and range of 3, 9, 1, 7?", "Median of 3, 9, 1, 7 = 5; range = 8"),
        # found by the twelfth and thirteenth blind sets
        ("the average of my Year 9 quiz scores: 78, 85, 92 and 67", "Mean of 78, 85, 92, 67 = 80.5"),  # a label
        ("my runs were 4.5, 3.8, 4.9 and 4.2 km. whats the average", "Mean of 4.5, 3.8, 4.9, 4.2 = 4.35 km"),
        ("the mean of these response times in ms: 120, 135, 150", "Mean of 120, 135, 150 = 135 ms"),
        ("average of 120 ms, 135 ms and 3 s", "Mean of 120, 135, 3000 = 1085 ms"),  # one unit first, the most used
        # found trying goals by hand through `switchboard up`
        ("we drove 412 km on 31 litres - how many litres per 100 km is that?", "31 / 412 * 100 = 7.52427184466"),
        ("which is bigger, 3/7 or 0.43?", "max(3 / 7, 0.43) = 0.43"),  # a comparison names the larger value
        ("How many weeks until a baby due in 196 days?", "196 d = 28 wk"),
        ("How long in minutes is 2.25 hours?", "2.25 h = 135 min"),
        ("What is the square root of 7 to three decimal places?", "round(sqrt(7), 3) = 2.646"),
        ("how much is 3 dozen eggs at 0.35 each", "3 * 12 * 0.35 = 12.6"),  # dozens counted before the price
        ("which one is smaller: 2**10 or 1000?", "min(2 ** 10, 1000) = 1000"),
        ("Percentage of 45 out of 60?", "45 / 60 * 100 = 75"),
        # found by the fourteenth blind set: stories with a unit, the way people tell them
        (
            "Client's invoice is $4,860.00 and they're taking the 3.5% early-payment discount. What do they pay?",
            "4860.00 * (1 - 3.5 / 100) = 4689.9",
        ),
        ("he rode 42 km in 1 hour 45 minutes. What was his average speed in km/h?", "42 / (1 + 45 / 60) = 24 km/h"),
        ("I ran 10 km in 50 minutes, what was my pace in km/h", "10 / (50 / 60) = 12 km/h"),
        ("the child weighs 18 kg and the dose is 15 mg per kg. Work out the dose", "15 * 18 = 270 mg"),
        (
            "I've got 12,500 in savings paying 4.2% a year, compounded yearly. How much will there be after 3 years?",
            "12500 * (1 + 4.2 / 100) ** 3 = 14142.0761 ≈ 14142.08",
        ),
        ("how many mg in total is 120 tablets of 0.25 mg?", "120 * 0.25 = 30 mg"),
        ("I sold 340 dozen eggs at $4.25 a dozen, what did that bring in", "340 * 4.25 = 1445"),  # priced by the dozen
        ("what is 15% of an $18,400 budget (that's the florist's cut)", "15 / 100 * 18400 = 2760"),
        ("how much do I invoice for a 2,350-word job at 0.12 euros per word?", "2350 * 0.12 = 282"),
        ("5k in miles?", "5 km = 3.11 mi"),  # a race's kilometres, not kelvin
        # found trying goals by hand: formulas people know by name, and areas
        (
            "how much paint: the wall is 4.2 m by 2.6 m and one litre covers 10 square metres",
            "4.2 * 2.6 / 10 = 1.092 L",
        ),
        ("I weigh 82 kg and I'm 1.79 m tall, what's my BMI?", "82 / 1.79 ** 2 = 25.592209981"),
        ("bmi for 70 kg and 175 cm", "70 / (175 / 100) ** 2 = 22.8571428571"),
        (
            "My car did 38 miles per gallon. How many litres per 100 km is that?",
            "235.214583 / 38 = 6.18985744737 L/100 km ≈ 6.19 L/100 km",
        ),
        ("what is 6.2 l/100km in mpg", "235.214583 / 6.2 = 37.9378359677 mpg ≈ 37.94 mpg"),
        ("what's the area of a room 4.2 m by 2.6 m", "4.2 * 2.6 = 10.92 m²"),
        ("How many km is a marathon (26.2 miles)?", "26.2 mi = 42.16 km"),
        (
            "average squat 1RM across my six clients? 100, 115, 92.5, 140, 125 and 110 kg",
            "Mean of 100, 115, 92.5, 140, 125, 110 = 113.75 kg",
        ),
        ("45 out of 60 as a percentage", "45 / 60 * 100 = 75"),
        # "1.2m" among money or counts is millions, not metres; "5km" glued still carries its unit
        ("The quarterly numbers were 1.2m, 1.5m and 1.1m. What's the average?", "Mean of 1.2, 1.5, 1.1 = 1.266666667"),
        ("my runs were 5km, 3km and 4km, average?", "Mean of 5, 3, 4 = 4 km"),
        ("I used 9 gallons for 300 miles, how many gallons per 100 miles", "9 / 300 * 100 = 3"),
        (
            "My bill went from 84 to 97 euros. What's the percentage increase?",
            "(97 - 84) / 84 * 100 = 15.4761904762 ≈ 15.48",
        ),
        (
            "My tenant pays $1,450 a month. If I raise the rent by 3.5%, what will the new monthly rent be?",
            "1450 * (1 + 3.5 / 100) = 1500.75",
        ),
        ("Our budget is 80,000. If we cut it by 12%, what is left?", "80000 * (1 - 12 / 100) = 70400"),
        ("Our rent went from $1,200 to $1,380. By what percent did it go up?", "(1380 - 1200) / 1200 * 100 = 15"),
        ("Each shift is 12.5 hours and I have 14 shifts - how many hours is that in total?", "12.5 * 14 = 175"),
        ("he gets 7.50 a week, how much is that over a whole year (52 weeks)?", "7.50 * 52 = 390"),
        ("Work out 18% of $2,350", "18 / 100 * 2350 = 423"),
        ("HOW MANY SECONDS ARE THERE IN 3.5 HOURS", "3.5 h = 12600 s"),
        ("My oven only shows Fahrenheit and the recipe says 180 degrees Celsius. What setting?", "180 °C = 356 °F"),
        ("split 2500 into 8 equal portions", "2500 / 8 = 312.5"),
        (
            "Give me summary statistics for: 12.5, 7, 9.25, 7, 30, 18",
            "Statistics of 12.5, 7, 9.25, 7, 30, 18: mean = 13.95833333, median = 10.875, min = 7, max = 30",
        ),
    ],
)
async def test_first_line_is_the_direct_answer(instruction: str, first_line: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    head, _, details = outcome.text.partition("\n\n")
    assert head == first_line
    assert details.strip()  # the tool's own output follows: exact expression, full precision, or the table


STATS_TEXT = Material(source="s1", text="Mean of 12, 19, 23, 31 = 21.25\n\n**Mean:** 21.25")
STATS_DATA = Material(source="s1", data={"count": 4.0, "sum": 85.0, "mean": 21.25, "median": 21.0})
PRODUCT = Material(source="s1", data={"expression": "17 * 23", "result": 391.0, "display": "391"})


@pytest.mark.parametrize(
    ("instruction", "materials", "first_line"),
    [
        (
            "take the square root of that mean (round to 2 decimals)",
            (STATS_TEXT, STATS_DATA),
            "round(sqrt(21.25), 2) = 4.61",
        ),
        ("take the square root of that mean (round to 2 decimals)", (STATS_TEXT,), "round(sqrt(21.25), 2) = 4.61"),
        ("What is the total times 2?", (STATS_DATA,), "85 * 2 = 170"),
        ("double the result", (PRODUCT,), "2 * 391 = 782"),
        ("square it", (PRODUCT,), "391 ** 2 = 152881"),
        # an earlier result in its unit: converted, or named by the unit ("multiply the pounds by 4.20")
        (
            "what is that average in miles?",
            (Material(source="s1", text="Mean of 4.5, 4.2 = 4.35 km"),),
            "4.35 km = 2.7 mi",
        ),
        (
            "convert the result to pounds",
            (Material(source="s1", text="Sum of 1250, 980 = 2230 g"), STATS_DATA),
            "2230 g = 4.92 lb",
        ),
        ("multiply the pounds by 4.20", (Material(source="s1", text="15 kg = 33.07 lb"),), "33.07 * 4.20 = 138.894"),
        (
            "divide it by 17",
            (Material(source="s1", text="17 * 23 = 391\n\n**Result:** `17 * 23` = **391**"),),
            "391 / 17 = 23",
        ),
        # a story's result carries its unit to the step that converts it
        (
            "turn that into hours if I run at a steady 12 km/h",
            (Material(source="s1", text="26.2 mi = 42.16 km"),),
            "42.16 / 12 = 3.51333333333 h ≈ 3.51 h",
        ),
        ("convert it to grams", (Material(source="s1", text="15 * 18 = 270 mg"),), "270 mg = 0.27 g"),
    ],
)
async def test_arithmetic_on_an_earlier_result(
    instruction: str, materials: tuple[Material, ...], first_line: str
) -> None:
    outcome = await run(instruction, *materials)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.splitlines()[0] == first_line


MEAN = Material(source="s1", text="Mean of 42, 38, 51, 47, 45 = 44.6\n\n**Mean:** 44.6")
MILES = Material(source="s1", text="15 mi = 24.14 km\n\n**Conversion:** 15 mi = **24.14016 km**")


@pytest.mark.parametrize(
    ("instruction", "materials", "skill_hint", "first_line"),
    [
        ("convert that number of kilograms to pounds", (MEAN,), "unit_conversion", "44.6 kg = 98.33 lb"),
        (
            "tell me how many hours it would take to walk that distance at 5 km/h",
            (MILES,),
            "unit_conversion",
            "24.14016 / 5 = 4.828032",
        ),  # the value in full from the details, not the rounded one of the direct answer
        ("how many hours to walk that distance at 5 km/h", (MILES,), "arithmetic", "24.14016 / 5 = 4.828032"),
        (
            "work out what it's worth at €1.20 per kg",
            (Material(source="s1", text="340 lb = 154.22 kg\n\n**Conversion:** 340 lb = **154.2214058 kg**"),),
            "arithmetic",
            "154.2214058 * 1.20 = 185.06568696 ≈ 185.07",
        ),
        (
            "use that to work out how many degrees above 98.6 F it is",
            (Material(source="s1", text="39.4 °C = 102.92 °F\n\n**Conversion:** 39.4 °C = **102.92 °F**"),),
            "arithmetic",
            "102.92 - 98.6 = 4.32",
        ),  # an earlier result's distance from a mark
        (
            "the average of the claims I closed - 3,400 / 12,750 / 980 / 5,600 / 7,210",
            (),
            "arithmetic",
            "Mean of 3400, 12750, 980, 5600, 7210 = 5988",
        ),  # a list between slashes, asked for its mean under a chosen arithmetic skill
    ],
)
async def test_a_measure_from_an_earlier_step(
    instruction: str, materials: tuple[Material, ...], skill_hint: str, first_line: str
) -> None:
    outcome = await run(instruction, *materials, skill_hint=skill_hint)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.splitlines()[0] == first_line


async def test_an_earlier_summary_is_not_numbers_to_analyse() -> None:
    outcome = await run("What is the mean?", STATS_DATA)
    assert isinstance(outcome, Question), outcome  # count, sum, mean ... of a summary would be nonsense


async def test_first_line_of_attached_numbers_names_the_source() -> None:
    outcome = await run("What is the total?", Material(source="s1", data=[2, 4, 9]))
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.splitlines()[0] == "Sum of the 3 numbers from s1 = 15"


async def test_statistics_of_attached_numbers() -> None:
    outcome = await run("Compute the average of the numbers from subtask s1.", Material(source="s1", data=[2, 4, 9]))
    assert isinstance(outcome, Answer), outcome
    assert "**Mean:** 5" in outcome.text
    assert "from s1" in outcome.text


async def test_skill_hint_chooses_the_skill() -> None:
    outcome = await run("Here are the values: 10, 20, 30", skill_hint="statistics")
    assert isinstance(outcome, Answer), outcome
    assert [r.tool for r in outcome.results] == ["describe_numbers"]


@pytest.mark.parametrize(
    ("instruction", "skill_hint", "question"),
    [
        ("Calculate the total.", None, "Which calculation"),
        ("What is the average?", None, "Which numbers"),
        ("What is the mean of 5?", None, "Which numbers"),
        ("Convert it to miles.", None, "What should I convert"),
        ("Please help with this.", "arithmetic", "Which calculation"),
    ],
)
async def test_missing_numbers_get_a_question(instruction: str, skill_hint: str | None, question: str) -> None:
    outcome = await run(instruction, skill_hint=skill_hint)
    assert isinstance(outcome, Question), outcome
    assert question in outcome.text


@pytest.mark.parametrize(
    ("instruction", "skill_hint"),
    [
        ("When is it safe to retry a failed call?", "unit_conversion"),
        ("what's the weather going to be like in Paris tomorrow", "unit_conversion"),
        ("What are today's top news headlines?", "arithmetic"),
        ("What is the capital of France?", "statistics"),
        ("What is a good way to convert files to pdf?", None),
        ("Convert 100 USD to EUR", None),
        ("how much is 50 euros in dollars", "unit_conversion"),
    ],
)
async def test_other_work_is_declined_even_under_a_chosen_skill(instruction: str, skill_hint: str | None) -> None:
    outcome = await run(instruction, skill_hint=skill_hint)
    assert isinstance(outcome, Refusal), outcome


@pytest.mark.parametrize(
    ("instruction", "materials"),
    [
        ("Which region sold the most?\nregion,revenue\nNorth,1200\nSouth,950", ()),
        ('What\'s the total revenue? [{"region": "North", "revenue": 100}, {"region": "South", "revenue": 250}]', ()),
        ("What's the average salary?\n| name | salary |\n|---|---|\n| Ada | 5200 |\n| Bob | 3900 |", ()),
        (
            "What's the total revenue?",
            (Material(source="sales.csv", text="year,revenue\n2023,10\n2024,12", media_type="text/csv"),),
        ),
        ("Average the salaries", (Material(source="s1", data=[{"name": "Ada", "salary": 5200.0}]),)),
    ],
)
async def test_tables_are_left_to_the_data_analyst(instruction: str, materials: tuple[Material, ...]) -> None:
    outcome = await run(instruction, *materials)
    assert isinstance(outcome, Refusal), outcome
    assert "data analyst" in outcome.reason


async def test_reply_to_a_question_completes_the_task() -> None:
    instruction = (
        "What is the average?\n\nYou asked: Which numbers should I analyse? Please list at least two, separated "
        "by commas or spaces.\nThe caller replied: 3, 5, 10"
    )
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    assert "**Mean:** 6" in outcome.text


@pytest.mark.parametrize(
    "instruction",
    [
        "Summarize this article in 3 sentences.",
        "Write a report on the 2024 results.",
        "What is the sentiment of this review?",
        "Book me a flight to Paris.",
        "summarize this text: 12 apples and 3 pears",
        "Summarize this: the mean of 3 and 4 is 3.5",
        'Translate "5 plus 3" into French',
        "How many words are in this sentence: the cat sat",
        "Write a report on 68 kg",
        "What does the rejected state mean?",
        "When is it safe to retry a failed call?",
    ],
)
async def test_other_work_is_declined(instruction: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Refusal), outcome
    assert "calculator" in outcome.reason


async def test_a_unit_spelt_out_after_an_earlier_result_is_converted() -> None:
    readings = Material(source="s1", text="Mean of 18, 21, 19, 24, 23 = 21 celsius\n\n**Mean:** 21 celsius")
    outcome = await run("convert that to Fahrenheit", readings, skill_hint="unit_conversion")
    assert isinstance(outcome, Answer), outcome
    assert "69.8" in outcome.text.splitlines()[0]


async def test_a_figure_with_its_area_unit_converts_to_square_feet() -> None:
    area = Material(source="s1", text="3 * 4.2 * 5.5 = 69.3 m²\n\n**Result:** `3 * 4.2 * 5.5` = **69.3**")
    outcome = await run("convert that figure to square feet for the landlord", area, skill_hint="unit_conversion")
    assert isinstance(outcome, Answer), outcome
    assert "745.94" in outcome.text.splitlines()[0]


@pytest.mark.parametrize(
    ("instruction", "earlier", "first_line"),
    [
        ("work out the cooking time in minutes at 40 minutes per kilogram", "14 lb = 6.35 kg", "6.35 * 40 = 254"),
        ("tell me how many hours it will take at our pace of 4 km per hour", "9 mi = 14.48 km", "14.48 / 4 = 3.62"),
    ],
)
async def test_a_rate_applies_to_the_earlier_result(instruction: str, earlier: str, first_line: str) -> None:
    outcome = await run(instruction, Material(source="s1", text=earlier), skill_hint="arithmetic")
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.splitlines()[0].startswith(first_line)
