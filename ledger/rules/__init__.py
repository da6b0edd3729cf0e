"""Every figure's rule: intervals, the scenario and its levers, the parts of a ledger
(scope), flow sums, source use, who pays, time, checks, findings, the reconciliation and
the view counting no assumption. Imports `core`, `runtime`, `money` and `reading`."""
