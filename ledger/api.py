"""The one entry point of the domain for the dashboard (`ui/`, `app.py`) and the
command line (`ledger/__main__.py`): every name they use, found here by what it does.

Names load on first use (PEP 562), so `from ledger.api import read_ledger` costs the
reading modules only, not the store, the charts or the report writers: a command
starts as fast as it did when it imported its modules directly. Where a name would
say less than it means out of its module, it is given a longer one here
(`parse_mapping`, `update_rates`, `warm_sandbox`). Modules are exported whole where
a page uses many of their names (`mapping`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name here -> (module, name there); grouped by room (docs/ARCHITECTURE.md)
_EXPORTS: dict[str, tuple[str, str]] = {
    # core: errors and shipped files
    "LedgerError": ("ledger.core.problems", "LedgerError"),
    "Problem": ("ledger.core.problems", "Problem"),
    "shipped_ledger": ("ledger.core.paths", "shipped_ledger"),
    "_": ("ledger.core.language", "_"),
    "N_": ("ledger.core.language", "N_"),
    "LANGUAGES": ("ledger.core.language", "LANGUAGES"),
    "language_of": ("ledger.core.language", "language_of"),
    "use_language": ("ledger.core.language", "use_language"),
    "translator": ("ledger.core.language", "translator"),
    # runtime: caches and memory
    "SizedCache": ("ledger.runtime.cache", "SizedCache"),
    "budget_bytes": ("ledger.runtime.cache", "budget_bytes"),
    "megabytes_setting": ("ledger.runtime.cache", "megabytes_setting"),
    "object_bytes": ("ledger.runtime.cache", "object_bytes"),
    "freeze_long_lived": ("ledger.runtime.memory", "freeze_long_lived"),
    "keep_freed_memory": ("ledger.runtime.memory", "keep_freed_memory"),
    "use_jemalloc": ("ledger.runtime.memory", "use_jemalloc"),
    # money: currencies and rates
    "currencies": ("ledger.money.units", "currencies"),
    "RateTable": ("ledger.money.fx", "RateTable"),
    "ecb_file": ("ledger.money.fx", "ecb_file"),
    "ecb_rates": ("ledger.money.fx", "ecb_rates"),
    "staleness": ("ledger.money.fx", "staleness"),
    "update_rates": ("ledger.money.rates_update", "update"),
    # reading: bytes to a checked Ledger
    "Ledger": ("ledger.reading.schema", "Ledger"),
    "read_ledger": ("ledger.reading.schema", "read_ledger"),
    "read_bytes": ("ledger.reading.schema", "read_bytes"),
    "template_csv": ("ledger.reading.schema", "template_csv"),
    "INSTRUMENTS": ("ledger.reading.schema", "INSTRUMENTS"),
    "KINDS": ("ledger.reading.schema", "KINDS"),
    "REQUIRED": ("ledger.reading.schema", "REQUIRED"),
    "STATUSES": ("ledger.reading.schema", "STATUSES"),
    "MAX_BYTES": ("ledger.reading.textfile", "MAX_BYTES"),
    "kind_of": ("ledger.reading.sheets", "kind_of"),
    "load_blocs": ("ledger.reading.blocs", "load_blocs"),
    "template_xlsx": ("ledger.reading.template", "template_xlsx"),
    "read_any": ("ledger.reading.intake", "read_any"),
    "checked": ("ledger.reading.intake", "checked"),
    "same_conversion": ("ledger.reading.intake", "same_conversion"),
    "mapping": ("ledger.reading.mapping", ""),
    "parse_mapping": ("ledger.reading.mapping", "parse"),
    "read_mapping": ("ledger.reading.mapping", "read_mapping"),
    "read_untrusted": ("ledger.reading.sandbox", "read_untrusted"),
    "peek_untrusted": ("ledger.reading.sandbox", "peek_untrusted"),
    "convert_untrusted": ("ledger.reading.sandbox", "convert_untrusted"),
    "warm_sandbox": ("ledger.reading.sandbox", "warm"),
    # storage: versions, editors, differences
    "Store": ("ledger.storage.store", "Store"),
    "database_url": ("ledger.storage.store", "database_url"),
    "merge_untrusted": ("ledger.reading.sandbox", "merge_untrusted"),
    "EditorGate": ("ledger.storage.access", "EditorGate"),
    "Outcome": ("ledger.storage.access", "Outcome"),
    "client_from_forwarded": ("ledger.storage.access", "client_from_forwarded"),
    "Diff": ("ledger.storage.diff", "Diff"),
    "diff": ("ledger.storage.diff", "diff"),
    # rules: the scenario and every figure
    "Scenario": ("ledger.rules.scenario", "Scenario"),
    "ASOF_RANGE": ("ledger.rules.scenario", "ASOF_RANGE"),
    "from_query": ("ledger.rules.scenario", "from_query"),
    "to_query": ("ledger.rules.scenario", "to_query"),
    "valuation": ("ledger.rules.scenario", "valuation"),
    "ARTICLE_TAG": ("ledger.rules.scope", "ARTICLE_TAG"),
    "RECORD_TAG": ("ledger.rules.scope", "RECORD_TAG"),
    "PARTS": ("ledger.rules.scope", "PARTS"),
    "has_tag": ("ledger.rules.scope", "has_tag"),
    "Reconciliation": ("ledger.rules.reconcile", "Reconciliation"),
    "reconcile": ("ledger.rules.reconcile", "reconcile"),
    "default_rates": ("ledger.rules.reconcile", "default_rates"),
    "gap_history": ("ledger.rules.reconcile", "gap_history"),
    "reported_result": ("ledger.rules.assumed", "reported_result"),
    "splits": ("ledger.rules.assumed", "splits"),
    "uses_assumptions": ("ledger.rules.assumed", "uses_assumptions"),
    "with_reported": ("ledger.rules.assumed", "with_reported"),
    "european_money_in_us_industry": ("ledger.rules.headline",
                                      "european_money_in_us_industry"),
    # present: tables, words, charts, files
    "SANKEY_SHOWN": ("ledger.present.sankey", "SANKEY_SHOWN"),
    "coverage_gap": ("ledger.present.charts", "coverage_gap"),
    "credited": ("ledger.present.charts", "credited"),
    "gap_history_chart": ("ledger.present.charts", "gap_history_chart"),
    "industry_by_category": ("ledger.present.charts", "industry_by_category"),
    "industry_split": ("ledger.present.charts", "industry_split"),
    "payer_supplier": ("ledger.present.charts", "payer_supplier"),
    "sankey": ("ledger.present.charts", "sankey"),
    "sources_chart": ("ledger.present.charts", "sources_chart"),
    "title_of": ("ledger.present.charts", "title_of"),
    "industry_recorded": ("ledger.present.charts", "industry_recorded"),
    "years_chart": ("ledger.present.charts", "years_chart"),
    "COUNTED": ("ledger.present.views", "COUNTED"),
    "checks_table": ("ledger.present.views", "checks_table"),
    "BEHIND": ("ledger.present.views", "BEHIND"),
    "rows_behind": ("ledger.present.views", "rows_behind"),
    "counted_words": ("ledger.present.views", "counted_words"),
    "address": ("ledger.present.citations", "address"),
    "date_input_format": ("ledger.present.formatting", "date_input_format"),
    "reference_html": ("ledger.present.citations", "reference_html"),
    "STAGE_LABELS": ("ledger.present.donors", "STAGE_LABELS"),
    "RANKINGS": ("ledger.present.donors", "RANKINGS"),
    "blocs_chart": ("ledger.present.donors", "blocs_chart"),
    "blocs_compared": ("ledger.present.donors", "blocs_compared"),
    "donors_ranked": ("ledger.present.donors", "donors_ranked"),
    "economy_note": ("ledger.present.donors", "economy_note"),
    "months_allow": ("ledger.present.donors", "months_allow"),
    "undated_money": ("ledger.rules.reconcile", "undated_money"),
    "evidence_html": ("ledger.present.evidence", "evidence_html"),
    "rule_readings": ("ledger.present.evidence", "rule_readings"),
    "read_evidence": ("ledger.reading.evidence", "read_evidence"),
    "RESTATES": ("ledger.present.views", "RESTATES"),
    "HOLDS": ("ledger.present.views", "HOLDS"),
    "ELSEWHERE": ("ledger.present.views", "ELSEWHERE"),
    "CHECK_LABELS": ("ledger.present.views", "CHECK_LABELS"),
    "filter_ledger": ("ledger.present.views", "filter_ledger"),
    "flows_table": ("ledger.present.views", "flows_table"),
    "instruments_table": ("ledger.present.views", "instruments_table"),
    "ledger_table": ("ledger.present.views", "ledger_table"),
    "ranked_flows": ("ledger.present.views", "ranked_flows"),
    "references_behind": ("ledger.present.views", "references_behind"),
    "sources_table": ("ledger.present.views", "sources_table"),
    "stages_table": ("ledger.present.views", "stages_table"),
    "donor_blocs_table": ("ledger.present.views", "donor_blocs_table"),
    "needs_table": ("ledger.present.views", "needs_table"),
    "years_readable": ("ledger.present.views", "years_readable"),
    "headline_block": ("ledger.present.headline", "headline_block"),
    "build_site": ("ledger.present.site", "build_site"),
    "METHOD_HEADINGS": ("ledger.present.methodology", "HEADINGS"),
    "how_figures_are_made": ("ledger.present.methodology", "how_figures_are_made"),
    "words_used": ("ledger.present.methodology", "words_used"),
    "shipped_data": ("ledger.present.methodology", "shipped_data"),
    "how_to_cite_words": ("ledger.present.methodology", "how_to_cite_words"),
    "europe_countries": ("ledger.present.methodology", "europe_countries"),
    "findings_table": ("ledger.present.wording", "findings_table"),
    "scenario_words": ("ledger.present.wording", "scenario_words"),
    "view_line": ("ledger.present.wording", "view_line"),
    "said_words": ("ledger.present.wording", "said_words"),
    "said": ("ledger.core.problems", "said"),
    "diff_words": ("ledger.present.wording", "diff_words"),
    "problem_line": ("ledger.present.wording", "problem_line"),
    "money_range": ("ledger.present.formatting", "money_range"),
    "shown_day": ("ledger.present.formatting", "day"),
    "use_locale": ("ledger.present.formatting", "use_locale"),
    "article_words": ("ledger.present.citations", "article_words"),
    "LICENCE": ("ledger.present.citations", "LICENCE"),
    "credit_line": ("ledger.present.citations", "credit_line"),
    "how_to_cite": ("ledger.present.citations", "how_to_cite"),
    "REFERENCES_SHOWN": ("ledger.present.citations", "REFERENCES_SHOWN"),
    "references_html": ("ledger.present.citations", "references_html"),
    "frame_csv": ("ledger.present.csvout", "frame_csv"),
    "text_table_csv": ("ledger.present.csvout", "text_table_csv"),
    "neutralised_csv": ("ledger.present.csvout", "neutralised_csv"),
    "FORMATS": ("ledger.present.report", "FORMATS"),
    "MIME": ("ledger.present.report", "MIME"),
    "gap_table": ("ledger.present.report", "gap_table"),
    "render": ("ledger.present.report", "render"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'ledger.api' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = getattr(module, attribute) if attribute else module
    globals()[name] = value  # found once; later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported plainly
    from ledger.core.language import (
        LANGUAGES,
        N_,
        _,
        language_of,
        translator,
        use_language,
    )
    from ledger.core.paths import shipped_ledger
    from ledger.core.problems import LedgerError, Problem, said
    from ledger.money.fx import RateTable, ecb_file, ecb_rates, staleness
    from ledger.money.rates_update import update as update_rates
    from ledger.money.units import currencies
    from ledger.present.charts import (
        coverage_gap,
        credited,
        gap_history_chart,
        industry_by_category,
        industry_recorded,
        industry_split,
        payer_supplier,
        sankey,
        sources_chart,
        title_of,
        years_chart,
    )
    from ledger.present.citations import (
        LICENCE,
        REFERENCES_SHOWN,
        address,
        article_words,
        credit_line,
        how_to_cite,
        reference_html,
        references_html,
    )
    from ledger.present.csvout import frame_csv, neutralised_csv, text_table_csv
    from ledger.present.donors import (
        RANKINGS,
        STAGE_LABELS,
        blocs_chart,
        blocs_compared,
        donors_ranked,
        economy_note,
        months_allow,
    )
    from ledger.present.evidence import evidence_html, rule_readings
    from ledger.present.formatting import date_input_format, money_range, use_locale
    from ledger.present.formatting import day as shown_day
    from ledger.present.headline import headline_block
    from ledger.present.methodology import HEADINGS as METHOD_HEADINGS
    from ledger.present.methodology import (
        europe_countries,
        how_figures_are_made,
        how_to_cite_words,
        shipped_data,
        words_used,
    )
    from ledger.present.report import FORMATS, MIME, gap_table, render
    from ledger.present.sankey import SANKEY_SHOWN
    from ledger.present.site import build_site
    from ledger.present.views import (
        BEHIND,
        CHECK_LABELS,
        COUNTED,
        ELSEWHERE,
        HOLDS,
        RESTATES,
        checks_table,
        counted_words,
        donor_blocs_table,
        filter_ledger,
        flows_table,
        instruments_table,
        ledger_table,
        needs_table,
        ranked_flows,
        references_behind,
        rows_behind,
        sources_table,
        stages_table,
        years_readable,
    )
    from ledger.present.wording import (
        diff_words,
        findings_table,
        problem_line,
        said_words,
        scenario_words,
        view_line,
    )
    from ledger.reading import mapping
    from ledger.reading.blocs import load_blocs
    from ledger.reading.evidence import read_evidence
    from ledger.reading.intake import checked, read_any, same_conversion
    from ledger.reading.mapping import parse as parse_mapping
    from ledger.reading.mapping import read_mapping
    from ledger.reading.sandbox import (
        convert_untrusted,
        merge_untrusted,
        peek_untrusted,
        read_untrusted,
    )
    from ledger.reading.sandbox import warm as warm_sandbox
    from ledger.reading.schema import (
        INSTRUMENTS,
        KINDS,
        REQUIRED,
        STATUSES,
        Ledger,
        read_bytes,
        read_ledger,
        template_csv,
    )
    from ledger.reading.sheets import kind_of
    from ledger.reading.template import template_xlsx
    from ledger.reading.textfile import MAX_BYTES
    from ledger.rules.assumed import reported_result, splits, uses_assumptions, with_reported
    from ledger.rules.headline import european_money_in_us_industry
    from ledger.rules.reconcile import (
        Reconciliation,
        default_rates,
        gap_history,
        reconcile,
        undated_money,
    )
    from ledger.rules.scenario import ASOF_RANGE, Scenario, from_query, to_query, valuation
    from ledger.rules.scope import ARTICLE_TAG, PARTS, RECORD_TAG, has_tag
    from ledger.runtime.cache import SizedCache, budget_bytes, megabytes_setting, object_bytes
    from ledger.runtime.memory import freeze_long_lived, keep_freed_memory, use_jemalloc
    from ledger.storage.access import EditorGate, Outcome, client_from_forwarded
    from ledger.storage.diff import Diff, diff
    from ledger.storage.store import Store, database_url
