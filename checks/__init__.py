"""Health checks: probe every tool, append results to the history store, derive rollups."""

from __future__ import annotations

from checks.conditions import Condition, ConditionError, parse_condition
from checks.errors import CheckConfigError, ProbeError
from checks.estate import Estate
from checks.history import append_results, read_history, read_shard
from checks.incidents import DetectedIncident, detect_incidents
from checks.probes import probe
from checks.results import ProbeResult
from checks.rollups import DailyRollup, load_rollups, rebuild_rollups, recent_rounds
from checks.rounds import Round, combine_locations
from checks.runner import make_client, make_ssl_context, run_round
from checks.targets import Target, targets_from_catalog

__all__ = [
    "CheckConfigError",
    "Condition",
    "ConditionError",
    "DailyRollup",
    "DetectedIncident",
    "Estate",
    "ProbeError",
    "ProbeResult",
    "Round",
    "Target",
    "append_results",
    "combine_locations",
    "detect_incidents",
    "load_rollups",
    "make_client",
    "make_ssl_context",
    "parse_condition",
    "probe",
    "read_history",
    "read_shard",
    "rebuild_rollups",
    "recent_rounds",
    "run_round",
    "targets_from_catalog",
]
