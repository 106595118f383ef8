"""Demo content loaded by the ``load_demo`` command: sources, sections, writers, stories, photos.

Everything here is plain data. Apart from the first story, which retells a real Ukrinform
report (and its Ukrainian edition), the stories, officials, experts and figures are fictional
but plausible. Ukrainian stories tag the same topics as English ones, by their English names;
`TOPIC_NAMES` gives the topics their names in the other editions.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSource:
    slug: str
    name: str
    kind: str  # one of "agency", "ministry", "international", "outlet"
    homepage_url: str
    attribution: str  # wording such as "Ukrinform reports"
    country: str = ""  # ISO 3166 code; international bodies have none
    language: str = "en"


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoWriter:
    username: str  # lowercase ascii, e.g. "okovalenko"
    first_name: str
    last_name: str


@dataclass(frozen=True)
class DemoStory:
    slug: str  # lowercase ascii slug derived from the headline, unique, <= 80 chars
    headline: str
    standfirst: str  # the lead: one or two sentences
    paragraphs: tuple[str, ...]  # plain text (no HTML), 3 to 7 paragraphs
    dateline: str  # place name, e.g. "Kyiv", "Strasbourg", "Brussels"
    section: str  # a DemoSection slug
    source: str  # a DemoSource slug
    source_url: str  # fictional but plausible URL at the source's homepage domain
    topics: tuple[str, ...]  # 3 to 6 topic names, properly capitalised
    writers: tuple[str, ...]  # 1 or 2 DemoWriter usernames
    status: str  # "draft", "review", "published" or "unpublished"
    hours_ago: float  # publish time relative to loading; negative means scheduled
    language: str = "en"  # one of settings.LANGUAGES
    translation_of: str = ""  # the slug of the original story (listed earlier), for a translation


SOURCES: tuple[DemoSource, ...] = (
    DemoSource(
        slug="ukrinform",
        name="Ukrinform",
        kind="agency",
        homepage_url="https://www.ukrinform.net/",
        attribution="Ukrinform reports",
        country="UA",
    ),
    DemoSource(
        slug="mfa-ukraine",
        name="Ministry of Foreign Affairs of Ukraine",
        kind="ministry",
        homepage_url="https://mfa.gov.ua/en",
        attribution="the Ministry of Foreign Affairs of Ukraine said",
        country="UA",
    ),
    DemoSource(
        slug="council-of-europe",
        name="Council of Europe",
        kind="international",
        homepage_url="https://www.coe.int/en/",
        attribution="the Council of Europe said",
    ),
    DemoSource(
        slug="european-commission",
        name="European Commission",
        kind="international",
        homepage_url="https://commission.europa.eu/",
        attribution="the European Commission said",
    ),
    DemoSource(
        slug="kyiv-independent",
        name="The Kyiv Independent",
        kind="outlet",
        homepage_url="https://kyivindependent.com/",
        attribution="The Kyiv Independent reports",
        country="UA",
    ),
    DemoSource(
        slug="suspilne",
        name="Суспільне Новини",
        kind="outlet",
        homepage_url="https://suspilne.media/",
        attribution="повідомляє Суспільне",
        country="UA",
        language="uk",
    ),
)

SECTIONS: tuple[DemoSection, ...] = (
    DemoSection(
        slug="war",
        name="War",
        description="Russia's war against Ukraine: the front, prisoners, accountability.",
    ),
    DemoSection(
        slug="politics",
        name="Politics",
        description="Government, parliament, diplomacy and Ukraine's path to the EU.",
    ),
    DemoSection(
        slug="world",
        name="World",
        description="International institutions, partners and sanctions.",
    ),
    DemoSection(
        slug="economy",
        name="Economy",
        description="Energy, agriculture, trade, budget and reconstruction finance.",
    ),
    DemoSection(
        slug="society",
        name="Society",
        description="Schools, transport, cities, health and human rights at home.",
    ),
    DemoSection(
        slug="culture",
        name="Culture",
        description="Museums, books, music, theatre and heritage.",
    ),
)

# The sections' names in the other editions, by slug.
SECTION_NAMES: dict[str, dict[str, str]] = {
    "war": {"uk": "Війна"},
    "politics": {"uk": "Політика"},
    "world": {"uk": "Світ"},
    "economy": {"uk": "Економіка"},
    "society": {"uk": "Суспільство"},
    "culture": {"uk": "Культура"},
}

WRITERS: tuple[DemoWriter, ...] = (
    DemoWriter(username="okovalenko", first_name="Olena", last_name="Kovalenko"),
    DemoWriter(username="dbondarenko", first_name="Dmytro", last_name="Bondarenko"),
    DemoWriter(username="iholub", first_name="Iryna", last_name="Holub"),
    DemoWriter(username="mtkachuk", first_name="Maksym", last_name="Tkachuk"),
    DemoWriter(username="yshevchuk", first_name="Yuliia", last_name="Shevchuk"),
    DemoWriter(username="vlysenko", first_name="Vasyl", last_name="Lysenko"),
)

STORIES: tuple[DemoStory, ...] = (
    DemoStory(
        slug="russias-exit-from-european-anti-torture-convention-is-admission-of-guilt-mfa",
        headline=(
            "Russia's exit from European anti-torture convention is an admission of guilt, "
            "Ukraine's foreign ministry says"
        ),
        standfirst=(
            "Ukraine's Ministry of Foreign Affairs says Moscow's move to denounce the European "
            "Convention for the Prevention of Torture and Inhuman or Degrading Treatment or "
            "Punishment amounts to owning up to abuses and is an attempt to escape international "
            "scrutiny, Ukrinform reports."
        ),
        paragraphs=(
            (
                "In a written comment, the ministry asked the international community to take note "
                "of the decision, which it tied to what it described as Russia's systematic use of "
                "torture and its wider effort to avoid responsibility for serious human rights "
                "abuses."
            ),
            (
                "The convention allows the European Committee for the Prevention of Torture (CPT), "
                "a Council of Europe body, to inspect prisons, police cells and other custodial "
                "facilities both on a regular schedule and at short notice, and to see for itself "
                "how detainees are held and treated. According to the ministry, Russia had already "
                "emptied that mechanism of meaning by taking little real part in the committee's "
                "work and by refusing its experts entry to look into torture allegations."
            ),
            (
                "The ministry said the withdrawal matched Moscow's refusal to give the "
                "International Committee of the Red Cross unrestricted entry to the facilities "
                "where Russia holds detainees, among them Ukrainian prisoners of war. It credited "
                "sustained pressure from Ukraine and its partners, at the Council of Europe and "
                "elsewhere, together with the careful documentation of abuses, with leaving Russia "
                "unable to keep up a show of cooperation."
            ),
            (
                "“A state that employs torture as an integral element of its policy cannot be a "
                "party to a Convention meant to unite rule-of-law states,” the ministry said, "
                "urging that international accountability mechanisms be used without delay. Kyiv "
                "has called since February 2022 for Russia to be excluded from every Council of "
                "Europe cooperation format."
            ),
            (
                "Foreign Minister Andrii Sybiha said the step showed once more that human life and "
                "dignity count for nothing in Russia. “This move comes as a continuation of many "
                "Russian crimes, including widespread torture, executions, and inhuman treatment "
                "of Ukrainian prisoners of war,” he said."
            ),
            "The Russian government had earlier proposed denouncing the convention.",
        ),
        dateline="Kyiv",
        section="politics",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-polytics/"
            "4061532-russias-denunciation-of-anti-torture-convention-is-admission-of-guilt-mfa.html"
        ),
        topics=(
            "Russia",
            "Ukraine",
            "Torture",
            "Council of Europe",
            "CPT",
            "Human rights",
            "Prisoners of war",
        ),
        writers=("okovalenko", "dbondarenko"),
        status="published",
        hours_ago=1.0,
    ),
    DemoStory(
        slug="ukrenergo-plans-no-household-power-cuts-tomorrow-as-repairs-continue",
        headline="Ukrenergo plans no household power cuts tomorrow as repairs continue",
        standfirst=(
            "Ukraine's grid operator does not expect to schedule outages for household consumers "
            "tomorrow but has asked people to use electricity sparingly in the evening, Ukrinform "
            "reports."
        ),
        paragraphs=(
            (
                "National grid operator Ukrenergo said in its daily update that generation and "
                "imports were sufficient to cover forecast demand across all regions."
            ),
            (
                "Consumption is expected to peak between 18:00 and 22:00, when the operator asked "
                "households to avoid running several energy-intensive appliances at once."
            ),
            (
                "“The system is balanced, but evening peaks remain the most demanding hours for "
                "the grid,” the company said in a statement."
            ),
            (
                "Repair crews continue to work on transmission equipment in several regions, the "
                "operator added, without giving a date for the completion of the work."
            ),
        ),
        dateline="Kyiv",
        section="economy",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-economy/"
            "4061498-ukrenergo-plans-no-household-power-cuts-tomorrow.html"
        ),
        topics=("Energy", "Ukraine", "Reconstruction"),
        writers=("mtkachuk",),
        status="published",
        hours_ago=1.25,
    ),
    DemoStory(
        slug="odesa-region-ports-ship-more-grain-last-month-as-harvest-exports-pick-up",
        headline="Odesa-region ports ship more grain last month as harvest exports pick up",
        standfirst=(
            "The three ports of Greater Odesa handled more agricultural cargo last month than in "
            "the month before, according to preliminary port data, Ukrinform reports."
        ),
        paragraphs=(
            (
                "Odesa, Pivdennyi and Chornomorsk together loaded about 4.1 million tonnes of "
                "grain, oilseeds and vegetable oil, up from roughly 3.6 million tonnes a month "
                "earlier, the preliminary figures show."
            ),
            (
                "Corn and wheat made up most of the volume, while sunflower oil shipments were "
                "broadly unchanged. Most cargoes were bound for ports in the Mediterranean and "
                "North Africa."
            ),
            (
                "“Shipping lines are keeping to their schedules and insurers have not changed "
                "their terms, which is what exporters needed going into the new season,” said "
                "Vitalii Marchenko, an analyst at a Kyiv-based agricultural consultancy."
            ),
            "Final figures are due to be published by the port authorities later this month.",
        ),
        dateline="Odesa",
        section="economy",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-economy/"
            "4061377-odesaregion-ports-ship-more-grain-last-month.html"
        ),
        topics=("Agriculture", "Grain exports", "Odesa", "Trade"),
        writers=("vlysenko",),
        status="published",
        hours_ago=5.5,
    ),
    DemoStory(
        slug="eu-adopts-new-sanctions-package-targeting-russias-energy-revenues",
        headline="EU adopts new sanctions package targeting Russia's energy revenues",
        standfirst=(
            "The European Union has adopted a further package of restrictive measures against "
            "Russia aimed at its oil revenues and at the supply of dual-use goods, the European "
            "Commission said."
        ),
        paragraphs=(
            (
                "The package, agreed by member states on a proposal from the Commission and the "
                "High Representative, adds more tankers to the list of vessels barred from EU "
                "ports and services."
            ),
            (
                "It also tightens export restrictions on components that can be used in military "
                "equipment and adds several companies in third countries accused of helping Russia "
                "circumvent existing measures."
            ),
            (
                "“The package keeps up pressure on Russia's ability to finance its war and closes "
                "routes used to get round earlier sanctions,” the Commission said in a statement."
            ),
            "The measures take effect on publication in the Official Journal of the EU.",
        ),
        dateline="Brussels",
        section="world",
        source="european-commission",
        source_url=(
            "https://commission.europa.eu/news-and-media/news/"
            "eu-adopts-new-sanctions-package-against-russia_en"
        ),
        topics=("European Union", "Sanctions", "Russia", "Energy"),
        writers=("iholub",),
        status="published",
        hours_ago=9.0,
    ),
    DemoStory(
        slug="ukraines-foreign-ministry-welcomes-new-eu-sanctions-and-urges-closing-loopholes",
        headline="Ukraine's foreign ministry welcomes new EU sanctions and urges closing loopholes",
        standfirst=(
            "Ukraine's Ministry of Foreign Affairs has welcomed the European Union's latest "
            "sanctions package against Russia and called for stricter enforcement of measures "
            "already in place."
        ),
        paragraphs=(
            (
                "In a statement, the ministry said the restrictions on tankers and dual-use goods "
                "addressed areas Kyiv had raised repeatedly with EU partners."
            ),
            (
                "“Sanctions work when they are enforced. We count on partners to close every route "
                "that Russia uses to get around them,” the ministry said."
            ),
            (
                "The ministry added that Ukraine would continue to share information with EU "
                "institutions on companies and vessels suspected of helping Russia evade "
                "restrictions."
            ),
        ),
        dateline="Kyiv",
        section="politics",
        source="mfa-ukraine",
        source_url=(
            "https://mfa.gov.ua/en/news/"
            "statement-of-the-mfa-of-ukraine-on-the-adoption-of-new-eu-sanctions"
        ),
        topics=("Sanctions", "European Union", "Russia", "Diplomacy"),
        writers=("iholub", "okovalenko"),
        status="published",
        hours_ago=11.5,
    ),
    DemoStory(
        slug="group-of-ukrainian-defenders-returns-home-in-latest-prisoner-exchange",
        headline="Group of Ukrainian defenders returns home in latest prisoner exchange",
        standfirst=(
            "Ukrainian service members and several civilians have returned to Ukraine as part of a "
            "prisoner exchange with Russia, the Coordination Headquarters for the Treatment of "
            "Prisoners of War said, Ukrinform reports."
        ),
        paragraphs=(
            (
                "The headquarters said the exchange had been carried out with the mediation of "
                "international partners, without giving further details of the negotiations."
            ),
            (
                "Those released will undergo medical examinations and receive psychological "
                "support before rehabilitation, and their families have been informed, according "
                "to the statement."
            ),
            (
                "“We continue to work to bring every Ukrainian home, and we ask relatives to keep "
                "in touch with the headquarters,” the body said in its statement."
            ),
            (
                "Ukraine has repeatedly called for international organisations to be given regular "
                "access to Ukrainians held in Russia."
            ),
        ),
        dateline="Kyiv",
        section="war",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-ato/"
            "4061120-group-of-ukrainian-defenders-returns-home-in-prisoner-exchange.html"
        ),
        topics=("Prisoners of war", "Russia", "Ukraine", "Human rights"),
        writers=("dbondarenko",),
        status="published",
        hours_ago=18.0,
    ),
    DemoStory(
        slug="council-of-europe-ministers-deputies-to-discuss-ukraine-and-budget-this-week",
        headline="Council of Europe ministers' deputies to discuss Ukraine and budget this week",
        standfirst=(
            "The Council of Europe's Committee of Ministers will consider support for Ukraine and "
            "the organisation's budget when ambassadors meet in Strasbourg this week."
        ),
        paragraphs=(
            (
                "According to the published agenda, the ministers' deputies will hear an update on "
                "the Council of Europe's programmes in Ukraine and on cooperation with the "
                "Ukrainian authorities."
            ),
            (
                "Other items include the draft budget for the coming year and follow-up to recent "
                "election observation missions by the Parliamentary Assembly."
            ),
            (
                "“The agenda reflects the priority that member states continue to give to "
                "Ukraine,” the Council of Europe said in a note on the meeting."
            ),
            (
                "Decisions adopted at the meeting are usually published on the organisation's "
                "website the following day."
            ),
        ),
        dateline="Strasbourg",
        section="politics",
        source="council-of-europe",
        source_url=(
            "https://www.coe.int/en/web/portal/-/ministers-deputies-to-discuss-ukraine-and-budget"
        ),
        topics=("Council of Europe", "Diplomacy", "Ukraine", "Human rights"),
        writers=("okovalenko",),
        status="published",
        hours_ago=26.0,
    ),
    DemoStory(
        slug="kharkiv-opens-another-underground-school-as-pupils-return-to-classrooms",
        headline="Kharkiv opens another underground school as pupils return to classrooms",
        standfirst=(
            "Kharkiv has opened a further underground school so that more children can attend "
            "lessons in person, the city administration said, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "The new facility, built below ground level with its own ventilation and power "
                "supply, will take pupils from several nearby schools in shifts."
            ),
            (
                "The city administration said teachers and staff had completed safety training and "
                "that the building met the requirements for a civil protection shelter."
            ),
            (
                "“Children need to see their classmates and teachers, not only a screen,” said "
                "Halyna Sydorenko, a deputy head teacher at one of the schools sharing the site."
            ),
            "Pupils who cannot attend in person will continue to follow lessons online.",
        ),
        dateline="Kharkiv",
        section="society",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/kharkiv-opens-another-underground-school/",
        topics=("Education", "Kharkiv", "Reconstruction", "Ukraine"),
        writers=("yshevchuk",),
        status="published",
        hours_ago=31.0,
    ),
    DemoStory(
        slug="kyiv-museum-opens-exhibition-of-19th-century-embroidered-shirts",
        headline="Kyiv museum opens exhibition of 19th-century embroidered shirts",
        standfirst=(
            "An exhibition of embroidered shirts from regional collections, many shown in the "
            "capital for the first time, has opened at a Kyiv museum, Ukrinform reports."
        ),
        paragraphs=(
            (
                "The exhibition brings together more than 120 shirts, towels and belts lent by "
                "regional museums, with items from Poltava, Chernihiv and the Carpathian region."
            ),
            (
                "The organisers said several pieces had been restored for the show after years in "
                "storage."
            ),
            (
                "“Each region had its own colours and patterns, and visitors can follow those "
                "differences from one room to the next,” said curator Larysa Dmytrenko."
            ),
            (
                "The exhibition runs for three months, with guided tours for school groups on "
                "weekdays."
            ),
        ),
        dateline="Kyiv",
        section="culture",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-culture/"
            "4060731-kyiv-museum-opens-exhibition-of-embroidered-shirts.html"
        ),
        topics=("Culture", "Museums", "Kyiv", "Вишиванка"),
        writers=("yshevchuk", "iholub"),
        status="published",
        hours_ago=40.0,
    ),
    DemoStory(
        slug="eu-disburses-new-ukraine-facility-tranche-after-reform-milestones-are-met",
        headline="EU disburses new Ukraine Facility tranche after reform milestones are met",
        standfirst=(
            "The European Commission has paid a further tranche of support to Ukraine under the "
            "Ukraine Facility after confirming that agreed reform steps had been completed."
        ),
        paragraphs=(
            (
                "The payment supports Ukraine's state budget and is linked to milestones in public "
                "finance management, the energy market and the business environment, the "
                "Commission said."
            ),
            (
                "“Ukraine has delivered on the reforms it committed to, and the funds will help "
                "keep the state running while it rebuilds,” the Commission said in a statement."
            ),
            (
                "The Ukraine Facility combines budget support with investment guarantees and "
                "technical assistance over several years."
            ),
            (
                "The next tranche depends on a further set of reform steps to be assessed later in "
                "the year."
            ),
        ),
        dateline="Brussels",
        section="economy",
        source="european-commission",
        source_url=(
            "https://commission.europa.eu/news-and-media/news/"
            "commission-disburses-new-ukraine-facility-tranche_en"
        ),
        topics=("European Union", "Reconstruction", "Reforms", "Ukraine"),
        writers=("mtkachuk",),
        status="published",
        hours_ago=47.0,
    ),
    DemoStory(
        slug="ukrzaliznytsia-adds-night-trains-between-kyiv-and-lviv-for-winter-timetable",
        headline="Ukrzaliznytsia adds night trains between Kyiv and Lviv for winter timetable",
        standfirst=(
            "Ukraine's state railway will run additional overnight services between the capital "
            "and Lviv under its winter timetable, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "Ukrzaliznytsia said the extra trains would run daily and connect with onward "
                "services towards the western border."
            ),
            (
                "Tickets go on sale through the railway's app and website from the start of next "
                "week, the company said."
            ),
            (
                "“Demand on this route stays high all year, and the extra night trains free up "
                "seats on daytime services,” the railway said in a statement."
            ),
        ),
        dateline="Kyiv",
        section="society",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/ukrzaliznytsia-adds-night-trains-kyiv-lviv/",
        topics=("Transport", "Kyiv", "Lviv", "Ukraine"),
        writers=("vlysenko",),
        status="published",
        hours_ago=55.0,
    ),
    DemoStory(
        slug="council-of-europe-anti-torture-committee-publishes-report-on-visit-to-ukraine",
        headline="Council of Europe anti-torture committee publishes report on visit to Ukraine",
        standfirst=(
            "The European Committee for the Prevention of Torture (CPT) has published the report "
            "on its most recent visit to Ukraine, together with the Ukrainian government's "
            "response."
        ),
        paragraphs=(
            (
                "During the visit, the committee's delegation went to pre-trial detention centres, "
                "police establishments and a psychiatric hospital, the Council of Europe said."
            ),
            (
                "The report makes recommendations on material conditions, access to health care "
                "and safeguards in the first hours of police custody."
            ),
            (
                "The committee said its delegation had received very good cooperation from the "
                "Ukrainian authorities and had been given rapid access to all places it wished to "
                "visit."
            ),
            (
                "The reports are published at the request of the authorities of the state "
                "concerned. The government's response sets out the steps taken to follow up on the "
                "recommendations."
            ),
        ),
        dateline="Strasbourg",
        section="society",
        source="council-of-europe",
        source_url=(
            "https://www.coe.int/en/web/cpt/-/"
            "council-of-europe-anti-torture-committee-publishes-report-on-ukraine"
        ),
        topics=("Council of Europe", "CPT", "Torture", "Human rights", "Ukraine"),
        writers=("okovalenko",),
        status="published",
        hours_ago=63.0,
    ),
    DemoStory(
        slug="register-of-damage-for-ukraine-opens-new-claim-categories-for-property-losses",
        headline="Register of Damage for Ukraine opens new claim categories for property losses",
        standfirst=(
            "The Register of Damage for Ukraine, set up under the Council of Europe, has begun "
            "accepting claims in further categories related to damaged and destroyed property."
        ),
        paragraphs=(
            (
                "Applicants can submit claims through Ukraine's Diia state services portal, which "
                "forwards them to the register in The Hague, the Council of Europe said."
            ),
            (
                "The register records evidence and claims of damage, loss or injury caused by "
                "Russia's aggression against Ukraine. It does not itself award compensation."
            ),
            (
                "“Every claim recorded today is a building block for the compensation that must "
                "follow,” the register said in a statement."
            ),
            "The register plans to open further categories in stages over the coming months.",
        ),
        dateline="The Hague",
        section="war",
        source="council-of-europe",
        source_url=(
            "https://www.coe.int/en/web/portal/-/"
            "register-of-damage-for-ukraine-opens-new-claim-categories"
        ),
        topics=("Council of Europe", "Russia", "Ukraine", "Reconstruction", "Human rights"),
        writers=("dbondarenko",),
        status="published",
        hours_ago=74.0,
    ),
    DemoStory(
        slug="farmers-return-to-demined-fields-in-kharkiv-region-ahead-of-sowing",
        headline="Farmers return to demined fields in Kharkiv region ahead of sowing",
        standfirst=(
            "Farmland cleared by deminers in Kharkiv region has been handed back to its owners in "
            "time for the sowing season, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "Regional authorities said the fields had been surveyed and cleared by state and "
                "certified private operators before being certified as safe for cultivation."
            ),
            (
                "Farmers are advised to work only on plots marked as cleared and to report any "
                "suspicious objects to the emergency services."
            ),
            (
                "“We have lost two seasons on this land. This year we can finally plant it,” said "
                "Serhii Pavlenko, who farms near the town of Balakliia."
            ),
            (
                "Officials said clearance of further plots in the district would continue through "
                "the spring."
            ),
        ),
        dateline="Kharkiv",
        section="war",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/farmers-return-to-demined-fields-kharkiv-region/",
        topics=("Agriculture", "Kharkiv", "Reconstruction", "Ukraine"),
        writers=("vlysenko", "yshevchuk"),
        status="published",
        hours_ago=86.0,
    ),
    DemoStory(
        slug="eu-sets-new-tariff-rate-quotas-for-ukrainian-farm-exports",
        headline="EU sets new tariff-rate quotas for Ukrainian farm exports",
        standfirst=(
            "New arrangements for trade in agricultural products between the EU and Ukraine have "
            "taken effect under the two sides' association agreement, the European Commission "
            "said."
        ),
        paragraphs=(
            (
                "The arrangements set annual tariff-rate quotas for a number of sensitive "
                "products, including sugar, poultry, eggs and wheat, while other goods keep "
                "duty-free access."
            ),
            (
                "The Commission said the terms offered predictability to Ukrainian exporters and "
                "included safeguards for EU farmers."
            ),
            (
                "“The agreement gives traders on both sides clear rules for the years ahead,” the "
                "Commission said in a statement."
            ),
            (
                "Ukraine has committed to bring its production standards closer to EU rules over "
                "the same period."
            ),
        ),
        dateline="Brussels",
        section="economy",
        source="european-commission",
        source_url=(
            "https://commission.europa.eu/news-and-media/news/"
            "new-eu-ukraine-trade-arrangements-for-agricultural-products_en"
        ),
        topics=("European Union", "Agriculture", "Trade", "Grain exports", "Ukraine"),
        writers=("mtkachuk",),
        status="published",
        hours_ago=98.0,
    ),
    DemoStory(
        slug="odesa-opera-house-opens-season-with-programme-of-ukrainian-composers",
        headline="Odesa opera house opens season with programme of Ukrainian composers",
        standfirst=(
            "The Odesa National Opera and Ballet Theatre has opened its new season with works by "
            "Ukrainian composers, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "The opening evening included excerpts from operas by Mykola Lysenko and a new "
                "orchestral piece commissioned for the occasion."
            ),
            (
                "The theatre said performances would start earlier in the evening than before, so "
                "that audiences could get home before the curfew."
            ),
            (
                "“Our audience has stayed with us through everything, and the season is for them,” "
                "the theatre said in a statement."
            ),
            (
                "Performances take place with a shelter available on site, and shows are paused if "
                "an air raid alert is declared."
            ),
        ),
        dateline="Odesa",
        section="culture",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/odesa-opera-house-opens-season/",
        topics=("Culture", "Odesa", "Ukraine"),
        writers=("yshevchuk",),
        status="published",
        hours_ago=110.0,
    ),
    DemoStory(
        slug="ukraine-and-moldova-agree-to-speed-up-joint-border-controls-at-busy-crossing",
        headline="Ukraine and Moldova agree to speed up joint border controls at busy crossing",
        standfirst=(
            "Ukraine and Moldova have agreed to introduce joint border and customs checks at one "
            "of their busiest crossings, Ukraine's Ministry of Foreign Affairs said."
        ),
        paragraphs=(
            (
                "Under the arrangement, officers from both countries will carry out checks at a "
                "single point, so that travellers and lorries are inspected once rather than "
                "twice."
            ),
            (
                "The ministry said the step followed consultations between the two foreign "
                "ministries and border agencies and was in line with EU practice."
            ),
            (
                "“Faster crossings mean cheaper trade and easier travel for our citizens,” the "
                "ministry said in a statement."
            ),
            (
                "Both sides plan to review the results after six months and consider extending "
                "joint controls to other crossings."
            ),
        ),
        dateline="Chisinau",
        section="world",
        source="mfa-ukraine",
        source_url=(
            "https://mfa.gov.ua/en/news/ukraine-and-moldova-agree-on-joint-border-controls"
        ),
        topics=("Diplomacy", "Moldova", "Transport", "European Union"),
        writers=("iholub",),
        status="published",
        hours_ago=125.0,
    ),
    DemoStory(
        slug="ukraine-keeps-grain-harvest-forecast-unchanged-as-threshing-nears-end",
        headline="Ukraine keeps grain harvest forecast unchanged as threshing nears end",
        standfirst=(
            "Ukrainian agriculture officials have left their forecast for this year's grain "
            "harvest unchanged, with most of the crop already gathered, Ukrinform reports."
        ),
        paragraphs=(
            (
                "According to the ministry responsible for agriculture, farmers have threshed "
                "grain from most of the sown area, with corn the main crop still in the fields."
            ),
            (
                "Yields of wheat and barley were close to last year's, while dry weather in the "
                "south reduced yields of late crops, officials said."
            ),
            (
                "“The harvest is sufficient for domestic needs and leaves a substantial volume for "
                "export,” the ministry said in a statement."
            ),
            (
                "Officials expect exports to remain close to last season's level if Black Sea "
                "shipping continues without disruption."
            ),
        ),
        dateline="Kyiv",
        section="economy",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-economy/"
            "4059384-ukraine-keeps-grain-harvest-forecast-unchanged.html"
        ),
        topics=("Agriculture", "Grain exports", "Ukraine"),
        writers=("vlysenko",),
        status="published",
        hours_ago=139.0,
    ),
    DemoStory(
        slug="pace-calls-for-independent-access-to-ukrainian-prisoners-of-war-held-by-russia",
        headline="PACE calls for independent access to Ukrainian prisoners of war held by Russia",
        standfirst=(
            "The Parliamentary Assembly of the Council of Europe has adopted a resolution calling "
            "for international bodies to be given access to Ukrainians held in Russia."
        ),
        paragraphs=(
            (
                "The resolution asks that the International Committee of the Red Cross and other "
                "independent monitors be allowed to visit all places where Ukrainian prisoners of "
                "war and detained civilians are held."
            ),
            (
                "It also calls on member states to support the documentation of abuses and the "
                "return of detained civilians."
            ),
            (
                "“Humane treatment of prisoners of war is not a favour; it is an obligation under "
                "international law,” the resolution says."
            ),
            (
                "Resolutions of the assembly are not binding but set out the position of its "
                "members, who are drawn from the parliaments of the Council of Europe's member "
                "states."
            ),
        ),
        dateline="Strasbourg",
        section="world",
        source="council-of-europe",
        source_url=(
            "https://www.coe.int/en/web/portal/-/"
            "pace-calls-for-independent-access-to-ukrainian-prisoners-of-war"
        ),
        topics=("Council of Europe", "Prisoners of war", "Russia", "Human rights"),
        writers=("okovalenko", "dbondarenko"),
        status="published",
        hours_ago=152.0,
    ),
    DemoStory(
        slug="lviv-library-puts-digitised-rare-books-online",
        headline="Lviv library puts digitised rare books online",
        standfirst=(
            "The Vasyl Stefanyk National Scientific Library in Lviv has made a further collection "
            "of digitised rare books freely available online, Ukrinform reports."
        ),
        paragraphs=(
            (
                "The collection includes early printed books, periodicals and school textbooks "
                "published in Galicia in the 19th century."
            ),
            (
                "The library said the digitisation had been carried out with the help of "
                "international partners, and that the originals were being kept in safe storage."
            ),
            (
                "“Researchers, teachers and students can now work with these books from anywhere,” "
                "said Oksana Hnatyshyn, a specialist in the library's digitisation department."
            ),
        ),
        dateline="Lviv",
        section="culture",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-culture/"
            "4058805-lviv-library-puts-digitised-rare-books-online.html"
        ),
        topics=("Culture", "Lviv", "Literature", "Education"),
        writers=("yshevchuk",),
        status="published",
        hours_ago=170.0,
    ),
    DemoStory(
        slug="eu-sends-generators-and-grid-equipment-to-ukraine-ahead-of-winter",
        headline="EU sends generators and grid equipment to Ukraine ahead of winter",
        standfirst=(
            "A further delivery of generators, transformers and other power equipment has been "
            "sent to Ukraine through the EU Civil Protection Mechanism, the European Commission "
            "said."
        ),
        paragraphs=(
            (
                "The equipment, offered by several member states, is intended for hospitals, water "
                "utilities and district heating plants, the Commission said."
            ),
            "Ukraine requested the assistance to prepare its energy system for the heating season.",
            (
                "“Keeping hospitals and homes supplied with power and heat is the priority for "
                "this winter,” the Commission said in a statement."
            ),
            "Further deliveries are planned in the coming weeks.",
        ),
        dateline="Brussels",
        section="world",
        source="european-commission",
        source_url=(
            "https://commission.europa.eu/news-and-media/news/"
            "eu-sends-generators-and-grid-equipment-to-ukraine_en"
        ),
        topics=("European Union", "Energy", "Reconstruction", "Ukraine"),
        writers=("mtkachuk", "iholub"),
        status="published",
        hours_ago=188.0,
    ),
    DemoStory(
        slug="ukraines-foreign-ministry-urges-red-cross-access-to-all-prisoners-of-war",
        headline="Ukraine's foreign ministry urges Red Cross access to all prisoners of war",
        standfirst=(
            "Ukraine's Ministry of Foreign Affairs has called on Russia to allow the International "
            "Committee of the Red Cross to visit all Ukrainian prisoners of war."
        ),
        paragraphs=(
            (
                "In a statement, the ministry said access to detained Ukrainians remained limited "
                "and that many families had no information about their relatives."
            ),
            (
                "The ministry said it had raised the issue with partners and international "
                "organisations and would continue to do so."
            ),
            (
                "“The Geneva Conventions are clear: prisoners of war must be visited, registered "
                "and treated humanely,” the ministry said."
            ),
        ),
        dateline="Kyiv",
        section="war",
        source="mfa-ukraine",
        source_url=(
            "https://mfa.gov.ua/en/news/mfa-calls-for-icrc-access-to-all-ukrainian-prisoners-of-war"
        ),
        topics=("Prisoners of war", "Human rights", "Russia", "Diplomacy"),
        writers=("dbondarenko",),
        status="published",
        hours_ago=215.0,
    ),
    DemoStory(
        slug="kyiv-metro-reopens-station-entrance-after-escalator-replacement",
        headline="Kyiv metro reopens station entrance after escalator replacement",
        standfirst=(
            "A Kyiv metro station entrance closed for escalator replacement has reopened to "
            "passengers, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "The city's metro operator said new escalators had been installed and tested, and "
                "that the lobby had been refurbished during the closure."
            ),
            "Passengers had used a second entrance while work was under way.",
            (
                "“The new escalators use less electricity and need less maintenance,” the operator "
                "said in a statement."
            ),
        ),
        dateline="Kyiv",
        section="society",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/kyiv-metro-reopens-station-entrance/",
        topics=("Kyiv", "Transport", "Reconstruction"),
        writers=("vlysenko",),
        status="published",
        hours_ago=296.0,
    ),
    DemoStory(
        slug="council-of-europe-and-ukraine-review-progress-on-recovery-action-plan",
        headline="Council of Europe and Ukraine review progress on recovery action plan",
        standfirst=(
            "Council of Europe and Ukrainian officials have met in Kyiv to review the action plan "
            "that guides the organisation's work in the country."
        ),
        paragraphs=(
            (
                "The steering committee discussed projects on justice reform, the protection of "
                "human rights in the recovery and support for local self-government, the Council "
                "of Europe said."
            ),
            (
                "Participants agreed to give more weight to projects that help align Ukrainian "
                "legislation with European standards as part of the country's EU accession "
                "process."
            ),
            (
                "“Reconstruction is also about institutions, and this plan is built around them,” "
                "said Thomas Lindqvist, a project manager at the Council of Europe office in Kyiv."
            ),
        ),
        dateline="Kyiv",
        section="politics",
        source="council-of-europe",
        source_url=(
            "https://www.coe.int/en/web/portal/-/council-of-europe-and-ukraine-review-action-plan"
        ),
        topics=("Council of Europe", "Reconstruction", "Reforms", "Ukraine", "Human rights"),
        writers=("okovalenko",),
        status="published",
        hours_ago=388.0,
    ),
    DemoStory(
        slug="kyiv-city-council-to-consider-funding-for-school-shelters-in-draft-budget",
        headline="Kyiv city council to consider funding for school shelters in draft budget",
        standfirst=(
            "Kyiv city council will debate a draft budget that sets aside money for building and "
            "upgrading shelters in schools and kindergartens, Ukrinform reports."
        ),
        paragraphs=(
            (
                "The draft, submitted by the city administration, lists shelter work in each of "
                "the capital's districts."
            ),
            (
                "Council members are also due to discuss funding for school transport and the "
                "repair of heating systems in education buildings."
            ),
            (
                "“Parents want to know that every school has a safe place to go during an alert,” "
                "said Andrii Horbenko, a member of the council's education committee."
            ),
        ),
        dateline="Kyiv",
        section="society",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-kyiv/"
            "4061550-kyiv-city-council-to-consider-funding-for-school-shelters.html"
        ),
        topics=("Kyiv", "Education", "Reconstruction"),
        writers=("yshevchuk",),
        status="draft",
        hours_ago=3.0,
    ),
    DemoStory(
        slug="lviv-museums-plan-embroidery-workshops-for-vyshyvanka-day",
        headline="Lviv museums plan embroidery workshops for Vyshyvanka Day",
        standfirst=(
            "Museums in Lviv are preparing embroidery workshops and guided tours for Vyshyvanka "
            "Day, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "Workshops for children and adults will cover traditional stitches and patterns "
                "from different regions of western Ukraine."
            ),
            (
                "Several museums will extend their opening hours and offer free entry to visitors "
                "wearing embroidered shirts, the city's culture department said."
            ),
            (
                "“Many people bring old family shirts and ask us what the patterns mean,” said "
                "Mariia Kostiuk, an educator at one of the museums."
            ),
        ),
        dateline="Lviv",
        section="culture",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/lviv-museums-plan-vyshyvanka-day-workshops/",
        topics=("Culture", "Вишиванка", "Lviv", "Museums"),
        writers=("iholub",),
        status="draft",
        hours_ago=4.0,
    ),
    DemoStory(
        slug="danube-ports-look-to-rail-links-as-grain-shipments-shift",
        headline="Danube ports look to rail links as grain shipments shift",
        standfirst=(
            "Ukraine's Danube ports are seeking better rail connections as exporters divide grain "
            "shipments between river and sea routes, Ukrinform reports."
        ),
        paragraphs=(
            (
                "Port operators in Izmail and Reni said more cargo now arrives by rail, and that "
                "sidings and unloading equipment need upgrading to cope."
            ),
            (
                "Some cargo continues to move via Moldova's Giurgiulesti port, which lies on the "
                "same stretch of the river."
            ),
            (
                "“Rail is the bottleneck, not the river,” said Roman Kravets, a logistics manager "
                "at a grain terminal in Izmail."
            ),
        ),
        dateline="Izmail",
        section="economy",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-economy/"
            "4061563-danube-ports-look-to-rail-links-as-grain-shipments-shift.html"
        ),
        topics=("Agriculture", "Grain exports", "Transport", "Moldova"),
        writers=("vlysenko", "mtkachuk"),
        status="draft",
        hours_ago=7.0,
    ),
    DemoStory(
        slug="council-of-europe-programme-trains-ukrainian-teachers-in-democratic-citizenship",
        headline="Council of Europe programme trains Ukrainian teachers in democratic citizenship",
        standfirst=(
            "Teachers from across Ukraine have completed a Council of Europe course on teaching "
            "democratic citizenship and human rights."
        ),
        paragraphs=(
            (
                "The course covered classroom methods for discussing rights, media literacy and "
                "participation in school life, the Council of Europe said."
            ),
            (
                "Participants will share the materials with colleagues in their own schools, and "
                "an online version is being prepared."
            ),
            (
                "“Teachers told us they want practical tools they can use the next morning,” said "
                "Kateryna Moroz, the programme's coordinator in Kyiv."
            ),
        ),
        dateline="Kyiv",
        section="society",
        source="council-of-europe",
        source_url=(
            "https://www.coe.int/en/web/education/-/"
            "ukrainian-teachers-trained-in-democratic-citizenship"
        ),
        topics=("Council of Europe", "Education", "Human rights", "Ukraine"),
        writers=("yshevchuk",),
        status="review",
        hours_ago=8.0,
    ),
    DemoStory(
        slug="ukraine-and-poland-hold-consultations-on-border-crossing-capacity",
        headline="Ukraine and Poland hold consultations on border crossing capacity",
        standfirst=(
            "Ukrainian and Polish officials have discussed ways to reduce queues at their shared "
            "border, Ukraine's Ministry of Foreign Affairs said."
        ),
        paragraphs=(
            (
                "The consultations in Warsaw covered staffing at crossings, electronic queue "
                "systems for lorries and plans to expand two existing checkpoints."
            ),
            (
                "The ministry said both sides had agreed to set up a working group to monitor "
                "waiting times."
            ),
            (
                "“Good neighbourly relations are measured at the border too,” the ministry said in "
                "a statement."
            ),
        ),
        dateline="Warsaw",
        section="world",
        source="mfa-ukraine",
        source_url=(
            "https://mfa.gov.ua/en/news/ukraine-and-poland-hold-consultations-on-border-crossings"
        ),
        topics=("Diplomacy", "Poland", "Transport", "European Union"),
        writers=("iholub",),
        status="review",
        hours_ago=12.0,
    ),
    DemoStory(
        slug="ukrainian-universities-to-join-more-erasmus-partnerships-next-academic-year",
        headline="Ukrainian universities to join more Erasmus+ partnerships next academic year",
        standfirst=(
            "More Ukrainian universities will take part in Erasmus+ exchange and cooperation "
            "projects next academic year, the European Commission said."
        ),
        paragraphs=(
            (
                "The selected projects include student and staff exchanges as well as partnerships "
                "on curriculum development and digital teaching."
            ),
            (
                "Some of the projects support universities that were relocated from frontline "
                "areas and now teach partly online."
            ),
            (
                "“Ukrainian students and lecturers belong in the European higher education area,” "
                "the Commission said in a statement."
            ),
        ),
        dateline="Brussels",
        section="society",
        source="european-commission",
        source_url=(
            "https://commission.europa.eu/news-and-media/news/"
            "more-ukrainian-universities-join-erasmus-partnerships_en"
        ),
        topics=("Education", "European Union", "Ukraine"),
        writers=("okovalenko",),
        status="published",
        hours_ago=-6.0,
    ),
    DemoStory(
        slug="book-arsenal-festival-announces-programme-for-kyiv-edition",
        headline="Book Arsenal festival announces programme for Kyiv edition",
        standfirst=(
            "Organisers of the Book Arsenal festival at Kyiv's Mystetskyi Arsenal have announced "
            "the programme for this year's edition, The Kyiv Independent reports."
        ),
        paragraphs=(
            (
                "The programme includes readings, panel discussions and a children's section, as "
                "well as stands from Ukrainian and foreign publishers."
            ),
            (
                "The organisers said the venue had shelters and that events would be paused during "
                "air raid alerts."
            ),
            (
                "“The festival is where readers meet the people who write and publish their "
                "books,” the organisers said in a statement."
            ),
        ),
        dateline="Kyiv",
        section="culture",
        source="kyiv-independent",
        source_url="https://kyivindependent.com/book-arsenal-festival-announces-programme/",
        topics=("Culture", "Kyiv", "Literature"),
        writers=("yshevchuk", "iholub"),
        status="published",
        hours_ago=-30.0,
    ),
    DemoStory(
        slug="direct-kyiv-warsaw-train-to-run-additional-daily-service",
        headline="Direct Kyiv-Warsaw train to run additional daily service",
        standfirst=(
            "An additional daily train will run between Kyiv and Warsaw, Ukraine's state railway "
            "said, Ukrinform reports."
        ),
        paragraphs=(
            (
                "Ukrzaliznytsia said the service would be operated jointly with its Polish partner "
                "and use European-gauge rolling stock on the Polish side."
            ),
            (
                "Border and customs checks will take place on board to shorten the journey, the "
                "company said."
            ),
            (
                "“This route is one of the most popular in our network, and the extra train "
                "answers that demand,” the railway said in a statement."
            ),
        ),
        dateline="Kyiv",
        section="society",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.net/rubric-society/"
            "4058120-direct-kyivwarsaw-train-to-run-additional-daily-service.html"
        ),
        topics=("Transport", "Poland", "Kyiv", "European Union"),
        writers=("vlysenko",),
        status="unpublished",
        hours_ago=200.0,
    ),
    # --- The Ukrainian edition ------------------------------------------------------------
    # The seed story in Ukrainian: a translation of the first story, linked to it.
    DemoStory(
        slug="vykhid-rosii-z-konventsii-proty-katuvan-ye-vyznanniam-provyny-mzs",
        headline=(
            "Вихід Росії з європейської конвенції проти катувань є визнанням провини, "
            "заявляють у МЗС України"
        ),
        standfirst=(
            "Міністерство закордонних справ України вважає рішення Москви денонсувати "
            "Європейську конвенцію про запобігання катуванням чи нелюдському або такому, що "
            "принижує гідність, поводженню чи покаранню фактичним визнанням злочинів і спробою "
            "втекти від міжнародного нагляду, повідомляє Укрінформ."
        ),
        paragraphs=(
            (
                "У письмовому коментарі міністерство закликало міжнародну спільноту звернути "
                "увагу на це рішення. У МЗС пов’язують його із систематичним застосуванням "
                "катувань у Росії та її ширшими спробами уникнути відповідальності за грубі "
                "порушення прав людини."
            ),
            (
                "Конвенція дає змогу Європейському комітетові з питань запобігання катуванням "
                "(ЄКПТ), органу Ради Європи, відвідувати в’язниці, ізолятори та інші місця "
                "несвободи — і за графіком, і з коротким попередженням, — щоб на власні очі "
                "побачити, в яких умовах тримають людей і як із ними поводяться. За словами "
                "дипломатів, Росія й раніше фактично знецінила цей механізм: майже не брала "
                "участі в роботі комітету і не пускала його експертів перевіряти повідомлення "
                "про катування."
            ),
            (
                "У міністерстві наголошують, що вихід із конвенції продовжує відмову Москви "
                "надати Міжнародному комітетові Червоного Хреста повний доступ до місць, де "
                "Росія утримує людей, зокрема українських військовополонених. Те, що Росія більше "
                "не може імітувати співпрацю, у МЗС пояснюють послідовним тиском України та "
                "партнерів у Раді Європи й на інших майданчиках, а також ретельним "
                "документуванням злочинів."
            ),
            (
                "«Держава, яка застосовує катування як невід’ємну частину своєї політики, не "
                "може бути учасницею конвенції, що має об’єднувати правові держави», — ідеться "
                "в заяві. Міністерство закликає без зволікань задіяти міжнародні механізми "
                "притягнення до відповідальності. Від лютого 2022 року Київ домагається "
                "виключення Росії з усіх форматів співпраці в Раді Європи."
            ),
            (
                "Міністр закордонних справ Андрій Сибіга заявив, що цей крок ще раз показав: "
                "людське життя і гідність у Росії нічого не важать. «Це продовження численних "
                "російських злочинів, серед яких масові катування, страти й нелюдське "
                "поводження з українськими військовополоненими», — сказав він."
            ),
            "Раніше російський уряд запропонував денонсувати конвенцію.",
        ),
        dateline="Київ",
        section="politics",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.ua/rubric-polytics/"
            "4061530-denonsacia-rosieu-antikatuvalnoi-konvencii-e-viznannam-provini-mzs.html"
        ),
        topics=(
            "Russia",
            "Ukraine",
            "Torture",
            "Council of Europe",
            "CPT",
            "Human rights",
            "Prisoners of war",
        ),
        writers=("okovalenko", "dbondarenko"),
        status="published",
        hours_ago=0.5,  # Translated after the original went out.
        language="uk",
        translation_of=(
            "russias-exit-from-european-anti-torture-convention-is-admission-of-guilt-mfa"
        ),
    ),
    DemoStory(
        slug="u-portu-chornomorsk-zapratsiuvav-novyi-zernovyi-terminal",
        headline="У порту Чорноморськ запрацював новий зерновий термінал",
        standfirst=(
            "Термінал зможе перевантажувати до трьох мільйонів тонн зерна на рік і має "
            "скоротити черги вантажівок на під’їздах до портів Одещини, повідомляє Укрінформ."
        ),
        paragraphs=(
            (
                "Перше судно біля нового причалу завантажили кукурудзою для Єгипту. Термінал "
                "будували півтора року, і навіть під час повітряних тривог роботи не "
                "зупинялися, розповіли в адміністрації порту."
            ),
            (
                "Тут встановили силоси на 120 тисяч тонн і дві лінії для розвантаження "
                "залізничних вагонів. Директор компанії-оператора Сергій Мельник очікує, що "
                "залізниця забере з доріг щонайменше третину вантажівок, які зараз годинами "
                "стоять у чергах перед портом."
            ),
            (
                "В аграрних асоціаціях кажуть, що нові потужності з’явилися вчасно: цього "
                "сезону фермери чекають більшого врожаю кукурудзи, ніж торік, а основну частину "
                "експорту, як і раніше, відвантажують через порти Великої Одеси."
            ),
            (
                "Вартість проєкту оцінюють у 45 мільйонів доларів. Частину коштів надав "
                "міжнародний банк розвитку, а обладнання застраховане від воєнних ризиків за "
                "державною програмою."
            ),
        ),
        dateline="Чорноморськ",
        section="economy",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.ua/rubric-economy/"
            "4071234-u-portu-cornomorsk-zapracuvav-novij-zernovij-terminal.html"
        ),
        topics=("Agriculture", "Grain exports", "Odesa", "Trade"),
        writers=("mtkachuk",),
        status="published",
        hours_ago=6.0,
        language="uk",
    ),
    DemoStory(
        slug="u-lvovi-v-kolyshnomu-tsekhu-zavodu-vidkryly-reabilitatsiinyi-tsentr-dlia-veteraniv",
        headline="У Львові в колишньому цеху заводу відкрили реабілітаційний центр для ветеранів",
        standfirst=(
            "Центр прийматиме до 80 людей щодня: тут працюватимуть фізичні терапевти, "
            "психологи й протезисти, повідомляє Суспільне."
        ),
        paragraphs=(
            (
                "Простір площею майже дві тисячі квадратних метрів облаштували в корпусі "
                "колишнього заводу. Цегляні стіни й металеві конструкції зберегли, а всередині "
                "з’явилися зали для занять, басейн і майстерня, де підганяють протези."
            ),
            (
                "«Ми хотіли, щоб людина пройшла весь шлях в одному місці: від першої "
                "консультації до повернення на роботу», — каже керівниця центру Оксана Дячук. "
                "За її словами, на найближчі місяці вже є черга."
            ),
            (
                "Ремонт профінансували міська рада та благодійні фонди, а частину обладнання "
                "передали міста-побратими Львова з Польщі та Німеччини. Ветерани й члени їхніх "
                "родин отримуватимуть допомогу безплатно, за направленням лікаря."
            ),
            (
                "У міській раді кажуть, що досвід центру хочуть поширити на інші громади "
                "області, де досі бракує фахівців із реабілітації."
            ),
        ),
        dateline="Львів",
        section="society",
        source="suspilne",
        source_url=(
            "https://suspilne.media/lviv/"
            "912345-u-lvovi-vidkrili-reabilitacijnij-centr-dla-veteraniv/"
        ),
        topics=("Lviv", "Veterans", "Reconstruction", "Ukraine"),
        writers=("iholub",),
        status="published",
        hours_ago=14.0,
        language="uk",
    ),
    DemoStory(
        slug="kharkivskyi-teatr-pokazhe-premieru-lisovoi-pisni-v-pidzemnomu-ukrytti",
        headline="Харківський театр покаже прем’єру «Лісової пісні» в підземному укритті",
        standfirst=(
            "Вистава за драмою-феєрією Лесі Українки стане першою великою прем’єрою сезону: "
            "через обстріли театр грає в укритті на 150 глядачів, повідомляє Укрінформ."
        ),
        paragraphs=(
            (
                "Режисерка Ганна Руденко каже, що тісний простір змінив саму постановку: актори "
                "грають майже поруч із глядачами, а ліс, у якому живе Мавка, створюють світлом "
                "і звуком замість громіздких декорацій."
            ),
            (
                "Квитки на перші чотири покази розкупили за добу. Театр уже додав вистави "
                "наприкінці місяця і, як завжди, залишає частину місць безплатними для "
                "військових та їхніх рідних."
            ),
            (
                "«Харків’яни приходять до театру навіть тоді, коли місто живе під сиренами. Це "
                "найкраща відповідь на питання, чи потрібне мистецтво під час війни», — сказав "
                "директор театру."
            ),
            (
                "Якщо під час вистави оголошують повітряну тривогу, вона не переривається: "
                "укриття відповідає державним нормам, і глядачам нікуди не треба переходити."
            ),
        ),
        dateline="Харків",
        section="culture",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.ua/rubric-culture/"
            "4070021-harkivskij-teatr-pokaze-premeru-lisovoi-pisni-v-ukritti.html"
        ),
        topics=("Culture", "Theatre", "Kharkiv", "Literature"),
        writers=("yshevchuk",),
        status="published",
        hours_ago=22.0,
        language="uk",
    ),
    DemoStory(
        slug="ukraina-povernula-dodomu-shche-13-ditei-nezakonno-vyvezenykh-do-rosii",
        headline="Україна повернула додому ще 13 дітей, незаконно вивезених до Росії",
        standfirst=(
            "Серед повернених — підлітки з Херсонщини та Запорізької області, яких вивезли "
            "до Росії або на окуповані території, повідомляє Укрінформ із посиланням на Офіс "
            "Уповноваженого Верховної Ради з прав людини."
        ),
        paragraphs=(
            (
                "Дітей повернули за посередництва однієї з держав-партнерів. Наймолодшій "
                "дитині шість років, найстаршому хлопцеві — сімнадцять. Усі вони вже зустрілися "
                "з рідними або опікунами."
            ),
            (
                "Як розповіли в Офісі омбудсмана, кожне повернення готували кілька місяців: "
                "родини збирали документи, а фахівці з’ясовували, де саме перебувають діти і "
                "хто може по них поїхати."
            ),
            (
                "Після повернення діти проходять медичне обстеження й отримують психологічну "
                "допомогу. Соціальні працівники кажуть, що частину з них змушували ходити до "
                "шкіл, де навчали лише за російською програмою."
            ),
            (
                "В Офісі омбудсмана нагадують, що про кожен випадок депортації чи примусового "
                "переміщення дитини можна повідомити на гарячу лінію. Ці відомості передають і "
                "міжнародним організаціям, які документують злочини Росії."
            ),
        ),
        dateline="Київ",
        section="war",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.ua/rubric-society/"
            "4069876-ukraina-povernula-dodomu-se-13-ditej.html"
        ),
        topics=("Children", "Russia", "Human rights", "Ukraine"),
        writers=("okovalenko",),
        status="published",
        hours_ago=30.0,
        language="uk",
    ),
    DemoStory(
        slug="uriad-skhvalyv-plan-dii-shchodo-verkhovenstva-prava-na-shliakhu-do-ies",
        headline="Уряд схвалив план дій щодо верховенства права на шляху до ЄС",
        standfirst=(
            "Документ визначає, що Україна має змінити в судах, боротьбі з корупцією та "
            "захисті прав людини до завершення переговорів про вступ, повідомляє Суспільне."
        ),
        paragraphs=(
            (
                "План містить понад сто заходів із чіткими строками. Серед них — нові правила "
                "добору суддів, більша незалежність антикорупційних органів і гарантії для "
                "національних меншин, про які Україна домовилася з Європейською комісією."
            ),
            (
                "«Це не формальність для Брюсселя, а перелік змін, на які насамперед чекають "
                "самі українці», — наголосили в урядовому офісі з питань європейської "
                "інтеграції."
            ),
            (
                "Виконання плану оцінюватиме Єврокомісія: від нього залежить, коли Україна "
                "зможе закрити переговорний кластер «Основи процесу вступу»."
            ),
            (
                "Громадські організації, які долучалися до підготовки документа, закликають "
                "уряд щокварталу оприлюднювати звіти, щоб суспільство бачило, що вже зроблено, "
                "а що відкладається."
            ),
        ),
        dateline="Київ",
        section="politics",
        source="suspilne",
        source_url=("https://suspilne.media/913456-urad-shvaliv-plan-dij-sodo-verhovenstva-prava/"),
        topics=("European Union", "Reforms", "Ukraine"),
        writers=("dbondarenko",),
        status="published",
        hours_ago=36.0,
        language="uk",
    ),
    DemoStory(
        slug="polshcha-ta-ukraina-vydiliat-okremu-smuhu-dlia-porozhnikh-vantazhivok-na-kordoni",
        headline="Польща та Україна виділять окрему смугу для порожніх вантажівок на кордоні",
        standfirst=(
            "Порожні вантажівки проходитимуть контроль окремо на пункті пропуску "
            "«Ягодин — Дорогуськ», що має скоротити черги на кордоні, повідомляє Укрінформ."
        ),
        paragraphs=(
            (
                "Про це домовилися на консультаціях транспортних відомств двох країн у "
                "Варшаві. Пілотний режим запрацює з наступного місяця й триватиме три місяці, "
                "після чого сторони вирішать, чи поширювати його на інші пункти пропуску."
            ),
            (
                "За даними прикордонників, порожні вантажівки становлять майже третину всіх "
                "вантажних автомобілів, що виїжджають з України до Польщі. Поки що вони стоять у "
                "спільній черзі із завантаженими, хоча перевірка для них значно простіша."
            ),
            (
                "Сторони також погодили обмін даними електронних черг, щоб перевізники бачили "
                "справжній час очікування ще до того, як вирушать до кордону."
            ),
            (
                "Асоціації перевізників рішення вітають, але нагадують: головна проблема — "
                "брак інспекторів на польському боці, і нова смуга її не розв’яже."
            ),
        ),
        dateline="Варшава",
        section="world",
        source="ukrinform",
        source_url=(
            "https://www.ukrinform.ua/rubric-economy/"
            "4068555-polsa-ta-ukraina-vidilat-okremu-smugu-dla-porozhnih-vantazivok.html"
        ),
        topics=("Poland", "Transport", "Trade", "European Union"),
        writers=("vlysenko",),
        status="published",
        hours_ago=48.0,
        language="uk",
    ),
)

# (story slug, correction note): a correction readers see under the story.
CORRECTIONS: tuple[tuple[str, str], ...] = (
    (
        "odesa-region-ports-ship-more-grain-last-month-as-harvest-exports-pick-up",
        "An earlier version of this story said the figures were final. They are preliminary "
        "port data and may be revised.",
    ),
)


@dataclass(frozen=True)
class DemoPhoto:
    story: str  # a DemoStory slug
    scene: str  # a drawing in newsroom.demo_illustrations.SCENES; its alt text comes with it
    caption: str
    alt_text: str = ""  # in the story's language, when it is not English (the scene's own)


PHOTO_CREDIT = "Illustration: Newsroom demo"

# Lead photos: drawn illustrations, no real photographs. Most published stories have one;
# a few stories are left without, as many are in a real newsroom.
PHOTOS: tuple[DemoPhoto, ...] = (
    DemoPhoto(
        "russias-exit-from-european-anti-torture-convention-is-admission-of-guilt-mfa",
        "columns",
        "The convention let the Council of Europe's inspectors visit places of detention.",
    ),
    DemoPhoto(
        "ukrenergo-plans-no-household-power-cuts-tomorrow-as-repairs-continue",
        "pylons",
        "Evening hours, from 18:00 to 22:00, are the most demanding for the grid.",
    ),
    DemoPhoto(
        "odesa-region-ports-ship-more-grain-last-month-as-harvest-exports-pick-up",
        "sea",
        "Grain leaves the Odesa region's ports by sea.",
    ),
    DemoPhoto(
        "eu-adopts-new-sanctions-package-targeting-russias-energy-revenues",
        "stars",
        "The new package targets the revenue Russia earns from energy.",
    ),
    DemoPhoto(
        "ukraines-foreign-ministry-welcomes-new-eu-sanctions-and-urges-closing-loopholes",
        "skyline",
        "Kyiv asked its partners to close the loopholes that remain.",
    ),
    DemoPhoto(
        "group-of-ukrainian-defenders-returns-home-in-latest-prisoner-exchange",
        "hills",
        "The freed defenders are back on Ukrainian soil.",
    ),
    DemoPhoto(
        "council-of-europe-ministers-deputies-to-discuss-ukraine-and-budget-this-week",
        "columns",
        "The ministers' deputies meet in Strasbourg.",
    ),
    DemoPhoto(
        "kharkiv-opens-another-underground-school-as-pupils-return-to-classrooms",
        "windows",
        "The new school lets more of Kharkiv's children attend lessons in person.",
    ),
    DemoPhoto(
        "kyiv-museum-opens-exhibition-of-19th-century-embroidered-shirts",
        "embroidery",
        "Cross-stitch diamonds are among the oldest motifs of Ukrainian embroidery.",
    ),
    DemoPhoto(
        "eu-disburses-new-ukraine-facility-tranche-after-reform-milestones-are-met",
        "stars",
        "Each tranche of the Ukraine Facility follows reforms agreed with the EU.",
    ),
    DemoPhoto(
        "ukrzaliznytsia-adds-night-trains-between-kyiv-and-lviv-for-winter-timetable",
        "rail",
        "The extra overnight trains will run daily under the winter timetable.",
    ),
    DemoPhoto(
        "farmers-return-to-demined-fields-in-kharkiv-region-ahead-of-sowing",
        "hills",
        "Fields cleared of mines can be sown again this spring.",
    ),
    DemoPhoto(
        "eu-sets-new-tariff-rate-quotas-for-ukrainian-farm-exports",
        "wheat",
        "Grain is among the farm exports the new quotas cover.",
    ),
    DemoPhoto(
        "odesa-opera-house-opens-season-with-programme-of-ukrainian-composers",
        "abstract",
        "The season opens with music by Ukrainian composers.",
    ),
    DemoPhoto(
        "ukraine-keeps-grain-harvest-forecast-unchanged-as-threshing-nears-end",
        "wheat",
        "Threshing is nearly over across the country.",
    ),
    DemoPhoto(
        "lviv-library-puts-digitised-rare-books-online",
        "books",
        "The digitised books can now be read online.",
    ),
    DemoPhoto(
        "eu-sends-generators-and-grid-equipment-to-ukraine-ahead-of-winter",
        "pylons",
        "The equipment is meant to keep power flowing through the winter.",
    ),
    DemoPhoto(
        "kyiv-metro-reopens-station-entrance-after-escalator-replacement",
        "skyline",
        "Kyiv at dusk.",
    ),
    DemoPhoto(
        "council-of-europe-and-ukraine-review-progress-on-recovery-action-plan",
        "columns",
        "The action plan guides the Council of Europe's work in Ukraine.",
    ),
    DemoPhoto(
        "ukrainian-universities-to-join-more-erasmus-partnerships-next-academic-year",
        "stars",
        "Erasmus+ is the EU's programme for study and training abroad.",
    ),
    DemoPhoto(
        "book-arsenal-festival-announces-programme-for-kyiv-edition",
        "books",
        "Publishers from Ukraine and abroad will have stands at the festival.",
    ),
    DemoPhoto(
        "lviv-museums-plan-embroidery-workshops-for-vyshyvanka-day",
        "embroidery",
        "Visitors will learn traditional stitches at the workshops.",
    ),
    DemoPhoto(
        "danube-ports-look-to-rail-links-as-grain-shipments-shift",
        "sea",
        "Exporters divide grain shipments between river and sea routes.",
    ),
    # The Ukrainian edition's photos: captions and alternative text in Ukrainian.
    DemoPhoto(
        "vykhid-rosii-z-konventsii-proty-katuvan-ye-vyznanniam-provyny-mzs",
        "columns",
        "Конвенція дозволяла інспекторам Ради Європи відвідувати місця несвободи.",
        "Ілюстрація: світла кам’яна будівля із шістьма колонами та трикутним фронтоном "
        "на тлі ясного ранкового неба.",
    ),
    DemoPhoto(
        "u-portu-chornomorsk-zapratsiuvav-novyi-zernovyi-terminal",
        "sea",
        "Перше судно біля нового причалу завантажили кукурудзою.",
        "Ілюстрація: вантажне судно на спокійному морі на світанку, на березі — портові крани.",
    ),
    DemoPhoto(
        "u-lvovi-v-kolyshnomu-tsekhu-zavodu-vidkryly-reabilitatsiinyi-tsentr-dlia-veteraniv",
        "windows",
        "Центр прийматиме до 80 людей щодня.",
        "Ілюстрація: багатоквартирний будинок у сутінках, у багатьох вікнах світиться жовте "
        "світло.",
    ),
    DemoPhoto(
        "kharkivskyi-teatr-pokazhe-premieru-lisovoi-pisni-v-pidzemnomu-ukrytti",
        "abstract",
        "Ліс, у якому живе Мавка, на сцені створюють світлом і звуком.",
        "Абстрактна ілюстрація: червоні, вохристі й темно-сині кола, дуги та смуги, що "
        "накладаються одне на одне, на кремовому тлі.",
    ),
    DemoPhoto(
        "uriad-skhvalyv-plan-dii-shchodo-verkhovenstva-prava-na-shliakhu-do-ies",
        "stars",
        "Виконання плану оцінюватиме Європейська комісія.",
        "Ілюстрація: коло з дванадцяти золотих зірок на темно-синьому тлі.",
    ),
)

# The topics' names in the other editions, by their English (default) names. A topic is one
# subject in every language: Ukrainian stories tag the same topics as English ones.
TOPIC_NAMES: dict[str, dict[str, str]] = {
    "uk": {
        "Agriculture": "Сільське господарство",
        "CPT": "ЄКПТ",
        "Children": "Діти",
        "Council of Europe": "Рада Європи",
        "Culture": "Культура",
        "Diplomacy": "Дипломатія",
        "Education": "Освіта",
        "Energy": "Енергетика",
        "European Union": "Європейський Союз",
        "Grain exports": "Експорт зерна",
        "Human rights": "Права людини",
        "Kharkiv": "Харків",
        "Kyiv": "Київ",
        "Literature": "Література",
        "Lviv": "Львів",
        "Moldova": "Молдова",
        "Museums": "Музеї",
        "Odesa": "Одеса",
        "Poland": "Польща",
        "Prisoners of war": "Військовополонені",
        "Reconstruction": "Відбудова",
        "Reforms": "Реформи",
        "Russia": "Росія",
        "Sanctions": "Санкції",
        "Theatre": "Театр",
        "Torture": "Катування",
        "Trade": "Торгівля",
        "Transport": "Транспорт",
        "Ukraine": "Україна",
        "Veterans": "Ветерани",
    },
}


@dataclass(frozen=True)
class DemoWireItem:
    source: str  # a DemoSource slug
    guid: str
    headline: str
    summary: str
    paragraphs: tuple[str, ...]
    categories: tuple[str, ...]
    hours_ago: float


# Wire copy waiting in the inbox for someone to take.
WIRE: tuple[DemoWireItem, ...] = (
    DemoWireItem(
        source="ukrinform",
        guid="demo-wire-ukrinform-1",
        headline="Regional council approves winter heating plan for schools",
        summary="Schools in the region will switch to backup boilers during outages.",
        paragraphs=(
            "The regional council approved a heating plan for the coming winter on Tuesday.",
            "Under the plan, schools will switch to backup boilers whenever the grid is down.",
        ),
        categories=("Education", "Energy"),
        hours_ago=0.5,
    ),
    DemoWireItem(
        source="ukrinform",
        guid="demo-wire-ukrinform-2",
        headline="Rail operator adds evening train between Kyiv and Lviv",
        summary="An extra evening service runs from next week, the operator said.",
        paragraphs=(
            "The national rail operator said an extra evening train will run from next week.",
            "Tickets go on sale on Friday, the company said in a statement.",
        ),
        categories=("Transport", "Kyiv", "Lviv"),
        hours_ago=1.5,
    ),
    DemoWireItem(
        source="council-of-europe",
        guid="demo-wire-coe-1",
        headline="Ministers' Deputies publish the agenda of their next meeting",
        summary="The agenda includes the situation in Ukraine and the budget.",
        paragraphs=(
            "The Ministers' Deputies of the Council of Europe published the agenda of their "
            "next meeting.",
            "Items include the situation in Ukraine and the organisation's budget.",
        ),
        categories=("Council of Europe", "Diplomacy", "Budget talks"),
        hours_ago=3,
    ),
    DemoWireItem(
        source="european-commission",
        guid="demo-wire-ec-1",
        headline="Commission opens call for reconstruction project proposals",
        summary="Municipalities may apply until the end of next month.",
        paragraphs=(
            "The European Commission opened a call for proposals for reconstruction projects.",
            "Municipalities may apply until the end of next month, the Commission said.",
        ),
        categories=("European Union", "Reconstruction"),
        hours_ago=5,
    ),
)
