"""Health checks: probe every tool, append results to the history store."""

from __future__ import annotations

from checks.errors import CheckConfigError, ProbeError
from checks.estate import Estate
from checks.history import append_results, read_history, read_shard
from checks.probes import probe
from checks.results import ProbeResult
from checks.runner import make_client, make_ssl_context, run_round
from checks.targets import Target, targets_from_catalog

__all__ = [
    "CheckConfigError",
    "Estate",
    "ProbeError",
    "ProbeResult",
    "Target",
    "append_results",
    "make_client",
    "make_ssl_context",
    "probe",
    "read_history",
    "read_shard",
    "run_round",
    "targets_from_catalog",
]
