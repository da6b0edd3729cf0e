"""The Methodology page's text: how every figure is made, in paragraphs of
markdown, each a message of the catalogs. The dashboard's page and the static site
both show it, so they cannot say it differently."""

from __future__ import annotations

from ledger.core.language import N_, _

HOW = (  # "How the figures are made": one paragraph each
    N_(
        "**What the ledger holds.** Three kinds of rows: *needs* (what something costs, such "
        "as Ukraine's reconstruction), *sources* (pools of money, such as an EU loan) and "
        "*flows* (money from a source to a need or to another source). A fourth kind, "
        "*checks*, holds published totals that the ledger should reproduce; checks never "
        "count in any total. Every row cites where its figure comes from."),
    N_(
        "**Ranges.** Figures are rarely known exactly, so every figure is a range from low to "
        "high (\"€90–100 bn\"). Sums add the lows and the highs. A gap is the need minus what "
        "covers it: its low end is the need's low minus the money's high, its high end the "
        "need's high minus the money's low. Charts draw a bar to the low end and a whisker to "
        "the high end."),
    N_(
        "**The gap.** For each need, what it still lacks; the headline gap adds these up. "
        "Money beyond what one need requires (a surplus) is shown apart and never fills "
        "another need's gap. Coverage counts each need at most in full."),
    N_(
        "**Reported or assumed.** Each row has a status: {statuses}. *assumption* marks an "
        "allocation nobody reported, added to show what a claim would mean. Every headline "
        "says how much of it rests on assumptions, the coverage chart draws assumed money "
        "hatched, and *Show: Public record only* leaves every assumption out."),
    N_(
        "**Stages.** Money moves through stages: *pledged* (promised), *committed* (agreed), "
        "*allocated* (earmarked for a specific delivery or payment) and *disbursed* (paid "
        "out). Each headline names the stage it counts, and *By stage* on the Overview counts "
        "each stage with every later one (pledged or further, committed or further, …). When "
        "a payment *fulfils* a commitment, the commitment counts only for what is left of it, "
        "so the same money is never counted twice. Loans, which are repaid, are shown apart "
        "from grants."),
    N_(
        "**Families of needs.** A need can lie *within* a broader one (a sector within the "
        "whole reconstruction need). A family counts once: its need is the larger of the "
        "broader need and the needs within it added up, and money into any of them covers it."),
    N_(
        "**Trackers.** A list of pledges states no need. Such a ledger shows who gives what, "
        "by stage, aim and year, and states no gap and no coverage."),
    N_(
        "**Exchange rates.** The European Central Bank's daily reference rates, shipped with "
        "the software (nothing is fetched while you read). By default every amount is valued "
        "at one date, the latest rate; you can value each amount at its own date instead. A "
        "day without a rate takes the closest earlier one, and the findings say so."),
    N_(
        "**Industry.** For flows into needs, whose industry gets the orders: a country code, "
        "EU, or *unknown*. Unknown is shown as its own share, never spread over the others. "
        "Money that passes through a pool keeps its donors pro rata."),
    N_(
        "**Industry read from a rule.** Where no one reports where money was spent but a rule "
        "says where it must be spent, the ledger reads the industry from the rule and tags "
        "the row *reading*; the Flows page names such rows. The EU's €90 bn loan buys "
        "equipment \"mainly\" from Ukraine, the EU and EEA/EFTA: \"mainly\" is read as more than "
        "half, so half of its €60 bn military part counts as European industry and the other "
        "half as industry not known (the Netherlands asked for at least €15 bn of it for US "
        "weapons; that was a demand, not a decision). Beside the ledger's split, the Flows "
        "page shows what the record itself says (Kiel, the Draghi report, the "
        "defence-industrial strategy, SAFE), each with what it measures and whether it is a "
        "check of the ledger or wider context."),
    N_(
        "**Checks.** A published total (Kiel's count of PURL money, the Commission's needs) "
        "is compared with the ledger in the total's own currency at its own date, using the "
        "rows' own amounts: a lever never changes what a check compares. It holds when the "
        "two ranges overlap; otherwise a warning says by how much the ledger is off. A check "
        "that cites the very page its rows were built from confirms nothing: it is shown as "
        "*restates its rows*, never as holding."),
    N_(
        "**Reading the record.** Approximate figures are read as within 5 %: \"about\" and "
        "\"approximately\" either side, \"almost\" below (RDNA5, \"almost $588 billion\", is "
        "$558.6–588 bn). Russia's immobilised central-bank assets are their own donor, "
        "*Immobilised Russian assets*: the money is Russia's, decided by EU and G7 "
        "governments, and is never counted as European money. The windfall profits on them "
        "are counted as the EU's, as the EU counts them. ERA loans count against a need only "
        "where the record says what they pay for: the US and Japanese shares, through the "
        "World Bank's fund, against reconstruction; the EU's, the UK's and Canada's against "
        "Ukraine's budget financing, a need whose size the ledger does not state. Each share "
        "is staged as the record says (committed; transferred to the World Bank's fund: "
        "allocated; paid to Ukraine: disbursed)."),
    N_(
        "**Time.** A figure with an end date is spread evenly by day over its period. A row "
        "can revise an earlier one (a newer World Bank assessment replaces the older): only "
        "the latest counts. *As known on* shows the ledger as it stood on any day, keeping "
        "the rows published by then (the Commission's needs for 2026–2027 were published in "
        "November 2025). Money that arrives before a need's period starts counts toward it "
        "and is shown as *early*."),
    N_(
        "**Known limits.** Needs that overlap count once only where the ledger says so with "
        "*within*; two estimates of one thing that the ledger does not link are both counted. "
        "Much of the record's money is not attributed to any need here, and is shown as not "
        "passed on. Trackers record money given, not needs."),
)
WORDS = (  # "Words the headlines use": one item each
    N_(
        "**Need**: what something costs, as its source states it (a range). **Covered**: the "
        "money flowing into it, counting the stages the sidebar counts. **Gap**: need less "
        "covered, for each need, added up; never below zero for one need. **Surplus**: what a "
        "need gets beyond its need; it never fills another need's gap. **Net gap**: the gap "
        "less the surpluses, shown beside it for those who want them set against each other. "
        "**Coverage**: covered as a share of need, each need counted at most in full."),
    N_(
        "**Stages**: *pledged* (promised), *committed* (agreed, in a decision or contract), "
        "*allocated* (earmarked for a specific delivery or payment: the Kiel tracker's "
        "allocations), *disbursed* (paid out). \"Committed or further\" counts a commitment and "
        "everything that went further. **Assumed**: a figure nobody reported, added to show "
        "what a claim would mean (status *assumption*); **estimate**: a need's or source's "
        "own size."),
    N_(
        "**Family of needs**: needs inside a broader one (*within*), counted once as the "
        "larger of the broader need and its parts added up. **Tracker**: a ledger that states "
        "no need (a list of pledges, the Kiel tracker's import): it has money, no gap."),
    N_(
        "**Europe** (a bloc): the EU and its institutions and these countries — {europe}. "
        "**Immobilised Russian assets**: Russia's central-bank assets and what is decided "
        "about them, never counted as European money. **Other**: every other donor, and "
        "several donors not itemised."),
)
HEADINGS = {"how": N_("How the figures are made"), "words": N_("Words the headlines use"),
            "data": N_("The shipped data and its licence"), "cite": N_("How to cite")}
DATA = N_("The shipped ledger reconciles {article} with the public record; rows tagged "
          "*article* state the article's figures, rows tagged *record* the public record's, "
          "each with its page.")
CITE = N_("Name the ledger, the data version and the day, and give the link from *Link to "
          "this view* in the sidebar, which pins both the data version and the "
          "exchange-rate date, so a reader sees the same numbers later.")


def how_figures_are_made(statuses: tuple[str, ...]) -> list[str]:
    """The paragraphs of "How the figures are made", as markdown, in the reader's
    language."""
    listed = ", ".join(_(s) for s in statuses)
    return [_(text).replace("{statuses}", listed) for text in HOW]


def words_used(europe: list[str]) -> str:
    """"Words the headlines use" as a markdown list, Europe's countries named."""
    return "\n".join("- " + _(item).replace("{europe}", ", ".join(europe)) for item in WORDS)


def shipped_data(article: str, licence: str) -> str:
    return _(DATA).format(article=article) + " " + _(licence)


def how_to_cite_words() -> str:
    return _(CITE)


def europe_countries() -> list[str]:
    """The countries of the bloc Europe (data/blocs.csv), by name, the EU itself aside."""
    from ledger.reading.blocs import bloc_names, load_blocs

    return sorted(bloc_names().get(code, code) for code, bloc in load_blocs().items()
                  if bloc == "Europe" and code != "EU")
