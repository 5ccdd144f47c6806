"""English sentences of the demo, by theme and sentiment, written for this project.

Slots in braces are filled by the generator: {brand} {product} {noun} {feature} {flaw}
{price} {competitor} {rival} {city} {blogger} {firmware} {fix} {hours} {days} {weeks}
{carrier} {stop}. Positive and negative sentences are worded so that a lexicon model
(VADER) reads them the way a person would; neutral ones avoid loaded words.
"""

from __future__ import annotations

SENTENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "brand": {
        "positive": (
            "I love what {brand} is doing lately, everything just works together.",
            "{brand} has become my favourite gadget brand, great design and great people.",
            "Really impressed by {brand} this year. Solid hardware, honest updates.",
            "Every {brand} product I own feels premium. Happy customer here.",
            "Good to see a company like {brand} actually listening to feedback. Nice work.",
            "Switched my whole family to {brand} and nobody regrets it. Brilliant.",
        ),
        "neutral": (
            "Is {brand} planning a new {noun} this year?",
            "Where does {brand} manufacture its devices?",
            "Does {brand} publish a roadmap for software updates?",
            "{brand} posted their quarterly update on the blog today.",
            "Anyone here working at {brand}? I have a question about the developer program.",
            "Looking at {brand} for my next {noun}, which model do people usually pick?",
        ),
        "negative": (
            "{brand} has lost its way. Feels like a cash grab now, very disappointing.",
            "Done with {brand}. Buggy software and terrible updates.",
            "What happened to {brand}? Quality control is terrible lately.",
            "I regret buying into the {brand} ecosystem. Frustrating experience overall.",
            "{brand} keeps breaking things with updates. So annoying.",
        ),
    },
    "product": {
        "positive": (
            "The {product} is amazing. {feature_cap} alone is worth it.",
            "Two weeks with the {product} and I love it. {feature_cap} is superb.",
            "Best {noun} I have owned, the {product} is fantastic.",
            "Really happy with my {product}, {feature} is excellent.",
            "The {product} is a joy to use every day. Great job {brand}!",
            "Impressed by the {product}, {feature} is way better than I expected.",
            "My {product} arrived yesterday and wow, it is beautiful.",
        ),
        "neutral": (
            "Does the {product} come with a charger in the box?",
            "Which colour of the {product} did you get?",
            "Is there a case for the {product} that fits a lanyard?",
            "Planning to pick up the {product} next month. Which storage size?",
            "The {product} got a software update this morning, version notes on the site.",
            "How does {feature} on the {product} compare to last year's model?",
            "Setting up the {product} now. Moving data over from my old {noun}.",
        ),
        "negative": (
            "The {product} is a huge disappointment. {flaw_cap} is broken half the time.",
            "Returning my {product}. {flaw_cap} is awful and support was useless.",
            "Worst {noun} I have bought in years, the {product} feels cheap.",
            "{flaw_cap} on the {product} is terrible. How did this pass testing?",
            "My {product} died after {weeks} weeks. Really angry about this.",
            "Sad to say the {product} is buggy. {flaw_cap} fails constantly.",
        ),
    },
    "battery": {
        "positive": (
            "Battery life on the {product} is incredible, two full days easily.",
            "The {product} battery is great, still at 40 percent at bedtime.",
            "Love how fast the {product} recharges. Battery anxiety is gone.",
            "Impressive battery on the {product}, a whole week of hiking without a charger.",
        ),
        "neutral": (
            "How many hours of battery do you get on the {product}?",
            "Does the {product} do fast charging with any USB-C brick?",
            "Battery on my {product} went from 100 to 60 percent today, is that normal?",
            "What charger wattage does the {product} use for the battery?",
        ),
        "negative": (
            "Since the {firmware} update my {product} battery drains overnight. Terrible.",
            "Battery life on the {product} is awful after the update, dead by lunch.",
            "{product} went from 100 to 15 percent in {hours} hours while idle. Awful.",
            "The {product} battery is a disaster now. Phone gets hot and drains fast.",
            "Seriously disappointed, the {product} barely lasts half a day since {firmware}.",
            "My {product} battery drains while sitting on the desk. Unacceptable.",
        ),
    },
    "battery_fix": {
        "positive": (
            "Update {fix} fixed the battery drain on my {product}. Thank you {brand}!",
            "Good news: after {fix} my {product} battery is back to normal. Great fix.",
            "{brand} fixed the battery bug fast. {fix} works perfectly, impressed.",
            "Installed {fix} last night, the {product} lasted the whole day. Relieved and happy.",
        ),
        "neutral": (
            "{fix} is rolling out now, it mentions battery fixes for the {product}.",
            "Has anyone installed {fix} yet? What battery numbers do you see on the {product}?",
            "The {fix} release notes list the battery drain issue on the {product}.",
        ),
        "negative": ("Still bad battery on my {product} even after {fix}. Not fixed for me.",),
    },
    "support": {
        "positive": (
            "Shout out to {brand} support, they replaced my {product} in {days} days. Excellent.",
            "{brand} customer service was friendly and helpful, problem solved in one chat.",
            "Great support experience with {brand} today. Kind, quick and competent.",
            "The warranty swap for my {product} was painless. Thank you {brand} support!",
        ),
        "neutral": (
            "What is the email address for {brand} warranty claims?",
            "Opened a ticket with {brand} about my {product}, waiting to hear back.",
            "Is the {brand} warranty two years in every EU country?",
            "How long does a {brand} warranty repair usually take?",
        ),
        "negative": (
            "{brand} support is useless. Ticket open for {weeks} weeks and no answer.",
            "Worst customer service ever. {brand} keeps closing my ticket without fixing it.",
            "Terrible experience with {brand} support, they refused the warranty on my {product}.",
            "Still waiting for my refund from {brand}. This is ridiculous and stressful.",
            "{brand} support keeps sending the same useless script. So frustrating.",
        ),
    },
    "shipping": {
        "positive": (
            "My {product} was delivered a day early, great packaging too. Nice!",
            "Super fast shipping from {brand}, ordered Monday and it arrived Tuesday. Love it.",
            "{carrier} delivered my {product} right on time, smooth experience. Great service.",
        ),
        "neutral": (
            "My {product} order shipped today with {carrier}, tracking says {days} days.",
            "Does {brand} ship to Norway?",
            "Where can I see the delivery estimate for a {product} order?",
            "Order status says shipped. Tracking code came by email.",
        ),
        "negative": (
            "My {product} order is {days} days late and {carrier} has lost the parcel. Awful.",
            "Shipping from {brand} is a mess. Paid for express, still nothing after {days} days.",
            "The {product} arrived damaged, box crushed. Terrible delivery experience.",
            "{carrier} lost my {product} parcel and nobody answers the phone. Terrible.",
        ),
    },
    "price": {
        "positive": (
            "The {product} at {price} euros is a great deal for what you get.",
            "Got the {product} on discount, best value {noun} around. Happy with it.",
            "Fair price for the {product}. Quality like this is worth the money.",
        ),
        "neutral": (
            "The {product} costs {price} euros here. Is it cheaper in other countries?",
            "Is the {product} going to cost less after the holidays?",
            "Comparing prices for the {product} across shops this week.",
        ),
        "negative": (
            "{price} euros for the {product}? Way overpriced, ridiculous.",
            "The {product} price went up again. Greedy move, {brand}.",
            "Too expensive for what it is. The {product} is not worth the money.",
        ),
    },
    "competitor": {
        "positive": (
            "Switched from {competitor} to the {product} and I love it, so much better.",
            "Tried the {rival} and the {product} side by side. {brand} wins easily, great job.",
            "{brand} beats {competitor} on build quality, happy I picked the {product}.",
        ),
        "neutral": (
            "{product} or {competitor} {rival}? Trying to decide this week.",
            "Anyone compared the {product} with the {competitor} {rival}?",
            "The {competitor} {rival} and the {product} are about the same size.",
        ),
        "negative": (
            "Going back to {competitor}. The {product} was a disappointing mess.",
            "The {competitor} {rival} is better than the {product} and cheaper. Sad.",
            "{competitor} support fixed my issue in a day, {brand} ignored me. Terrible.",
        ),
    },
    "launch": {
        "positive": (
            "The {brand} Arc 2 launch looks amazing. Pre-ordered the moment it went live!",
            "Arc 2 is finally here and it is gorgeous. Love the new display.",
            "Hands-on with the Arc 2: brilliant sleep tracking, very excited about this one.",
            "Great launch event from {brand} today. The Arc 2 is a real upgrade.",
        ),
        "neutral": (
            "{brand} announced the Arc 2 smartwatch today, available from {price} euros.",
            "The Arc 2 launch stream starts at 6pm CET.",
            "Arc 2 pre-orders open today, shipping in two weeks according to the store.",
            "Do last year's Arc straps work with the Arc 2?",
        ),
        "negative": (
            "The Arc 2 launch was a letdown. Same design, higher price, boring.",
            "Arc 2 pre-order page crashed for an hour. What a mess, {brand}.",
            "My Arc 2 pre-order got cancelled with no reason given. Very disappointed and annoyed.",
        ),
    },
    "tour": {
        "positive": (
            "Met {blogger} at the {city} store today for the {brand} tour, so nice and fun!",
            "Stop {stop} of the {brand} store tour in {city} was great. Loved the demos.",
            "The {brand} 40 stores in 40 days tour came to {city}. Amazing atmosphere.",
            "{blogger} signed my {product} box at the {city} store. Best day, thank you!",
            "Great Q&A with {blogger} in {city} tonight. The tour is a brilliant idea.",
        ),
        "neutral": (
            "The {brand} tour is in {city} today, day {stop} of 40.",
            "When does the {brand} store tour come to {city}?",
            "{blogger} is at the {city} store from 10 to 6 for the tour.",
            "Tour day {stop} of 40: {city}. Doors open at 9.",
        ),
        "negative": (
            "Waited {hours} hours at the {city} tour stop and they ran out of wristbands. Awful.",
            "The {brand} tour stop in {city} was overcrowded and chaotic. Disappointing.",
            "Drove to {city} for the tour and the store was closed early. Really annoyed.",
        ),
    },
}

# Neutral details about the writer's life, which make every post a little different.
CONTEXT = (
    "Bought it {weeks} weeks ago in {city}.",
    "Using it mostly for work calls.",
    "I commute by train, two hours a day.",
    "This is my third {brand} device.",
    "Upgraded from a {competitor} {rival}.",
    "Got it as a birthday present.",
    "Mostly use it for photos of my kids.",
    "It goes everywhere with me, from breakfast to podcasts.",
    "Ordered the grey one on launch day.",
    "My partner has the same model.",
    "I use it at the gym and on long bike rides.",
    "Day {days} of owning it.",
    "Mine is the 256 GB version.",
    "Bought it with my own money, nobody sent me one.",
    "I work from home, so it sits on my desk most of the day.",
    "Running the latest update.",
    "Coming from a four-year-old {noun}.",
    "Picked it up in {city} last month.",
    "I travel a lot for work.",
    "Three of us at the office have one now.",
    "Using it with a Linux laptop.",
    "My kid uses it for school.",
    "Had it for {weeks} weeks now.",
    "Writing this on the train to {city}.",
    "Second one in our house.",
)

OPENERS = (
    "PSA: ",
    "Quick one: ",
    "Day {days} with the {product}. ",
    "Update: ",
    "Thread. ",
    "So. ",
)

CLOSERS = (
    " #{brand}",
    " #gadgets",
    " Anyone else?",
    " Thoughts?",
    " (posting from my {noun})",
    " #tech",
)

# Details a reply may add to its reaction.
REPLY_DETAILS = (
    "Mine is the {product}.",
    "Happened to me on {weekday}.",
    "Same for {days} days now.",
    "I am in {city}, same thing.",
    "Running {firmware} here.",
    "Seeing it on the {product} too.",
    "Since last week for me.",
    "Bought mine in {city}.",
    "Had mine for {weeks} weeks.",
    "Two of us at work have the {product}.",
    "Got mine on {weekday}.",
    "My sister has the {product}.",
    "Mine came from the {city} store.",
    "Using the {product} for {weeks} weeks now.",
)

REPLIES: dict[str, tuple[str, ...]] = {
    "agree_negative": (
        "Same here. Really frustrating.",
        "Exactly the same problem on mine, this is terrible.",
        "Yep, mine too. Awful experience.",
        "Glad it is not just me. So annoying.",
        "Had the same issue last week, still broken.",
        "Ugh, same. Really annoying.",
        "Mine did exactly this, awful.",
        "Not just you, it is terrible for me too.",
    ),
    "agree_positive": (
        "Agreed, mine is great too!",
        "Same experience here, really happy with it.",
        "This. Love mine.",
        "Totally agree, best purchase this year.",
        "Mine too, really great.",
        "Happy with mine as well, great choice.",
        "Love it too!",
    ),
    "question": (
        "Which version are you on?",
        "Did you try a factory reset?",
        "Is that the 256 GB model?",
        "Where did you buy it?",
        "Did this start after the update?",
        "Which colour did you get?",
        "Is it under warranty?",
        "Does it happen on wifi too?",
        "How long have you had it?",
    ),
    "answer": (
        "Settings, then System, then Updates. It shows the version there.",
        "I bought mine in the online store.",
        "Mine is on the latest version.",
        "It started right after the update for me.",
        "I got mine from a local shop.",
        "Mine is the grey one.",
        "About three weeks now.",
        "You can check it in the app.",
    ),
    "support_sorry": (
        "Send us your serial via DM and we will look into it.",
        "We are looking into this right now and will follow up here.",
        "Can you DM us your order details? We are looking into what happened.",
    ),
    "support_thanks": (
        "Thank you for the kind words, we will pass them on to the team!",
        "Glad you like it! Thanks for sharing.",
    ),
}

# Long complaints that get pasted around with small edits during the battery wave.
COPYPASTA = (
    "Since installing {firmware} my Strata 7 loses about 10 percent of battery every hour "
    "even when the screen is off. Turned off location, restarted twice, reset network "
    "settings. Nothing helps. Please fix this, it is unusable.",
    "Dear {brand}, the {firmware} update destroyed the battery life on my Strata 7. It used "
    "to last two days, now it is dead before dinner and it gets hot in my pocket. Terrible. "
    "Roll it back or fix it.",
    "Support told me to wait for a fix for the battery drain after {firmware}. I have "
    "waited {days} days. My Strata 7 is now a very expensive paperweight. Awful handling "
    "of a known bug.",
)

TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "positive": {
        "default": (
            "{product} review: the best {noun} of the year",
            "Why I love my {product}",
            "{brand} finally nailed it",
        ),
        "tour": ("Meeting {blogger} in {city}: a great day",),
        "launch": ("Arc 2 hands-on: a brilliant upgrade",),
        "battery_fix": ("{fix} fixes the {product} battery drain",),
    },
    "neutral": {
        "default": (
            "{product}: first week notes",
            "Question about the {product}",
            "{brand} {product} vs {competitor} {rival}",
        ),
        "tour": ("{brand} store tour in {city} today",),
        "launch": ("{brand} announces Arc 2 smartwatch",),
    },
    "negative": {
        "default": (
            "{product} problems are getting worse",
            "Disappointed with my {product}",
            "{brand} support horror story",
        ),
        "battery": ("{firmware} battery drain on the {product} is terrible",),
        "tour": ("The {city} tour stop was a mess",),
    },
}

SPAM = (
    "FREE {product} giveaway!!! click here https://free-gift.win/claim?id={code} "
    "https://bit-ly.click/{code} limited offer act now",
    "{brand} promo code 90% OFF >>> https://bit-ly.click/{code} https://bit-ly.click/x{code} "
    "https://casino-bonus.example/{code} buy now",
    "earn $500 a day from your {noun}!! work from home https://casino-bonus.example/r/{code} "
    "dm me for details https://free-gift.win/{code}",
    "cheap {product} chargers https://cheap-pills.example/shop/{code} "
    "https://cheap-pills.example/deal/{code} https://bit-ly.click/{code} click here",
)

# The tour host's own posts from the road.
HOST_POSTS = (
    "Stop {stop} of 40: {city}! Thank you all for coming, you were wonderful. See you tomorrow.",
    "What a day in {city}. Stop {stop} done, so many great questions about the {product}!",
    "Good morning {city}! Doors open at 10, come say hi. Stop {stop} of the tour.",
)

BLOG_SENTENCES = {
    "positive": (
        "After a week of daily use I can say it is one of the most polished devices I have "
        "reviewed.",
        "The attention to detail is wonderful and the software feels fast and calm.",
        "It is easy to recommend to almost anyone.",
    ),
    "neutral": (
        "I used it as my only device for seven days and took notes along the way.",
        "Below are my measurements, the settings I changed and a few photos.",
        "Prices and availability are listed at the end of the article.",
    ),
    "negative": (
        "Sadly, the problems I found are hard to ignore and make it difficult to recommend.",
        "I ran into bugs every single day, which is frustrating at this price.",
        "Until the software improves, I would wait.",
    ),
}
