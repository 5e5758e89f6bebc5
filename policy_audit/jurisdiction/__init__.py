"""State law as data: what a state's statutes require of an ALPR policy, checked on top of
the rubric and reported separately as legal findings.

Each state is one TOML file in ``rubric/jurisdictions/`` (``ca.toml``): its name, the
statutes with their effective dates and sources, and a list of requirements. A requirement
is checked one of three ways:

- ``retention_max_days``: the policy's ``retention_days`` must not exceed the cap (a policy
  with no maximum violates a numeric cap);
- ``violated_by`` / ``satisfied_by``: finding cues (``sharing.network``,
  ``reporting.policy_published``, ``element.case_number`` …) whose presence breaks or meets
  the requirement, quoted as evidence;
- ``min_level``: a rubric criterion must reach at least a level.

A cue may name the recipients its clause must mention, ``cue[kind+kind]``:
``sharing.recipient_restriction[federal+out_of_state]`` is a ban that covers both federal
and out-of-state agencies. Besides the detector's kinds (``federal``, ``out_of_state``,
``private`` …) there is ``other_state``: an agency of another state in a portal's list of
agencies granted access ("Acworth GA PD" on a California list). ``falls_short_by`` cues make
a policy fall short unless a ``satisfied_by`` cue is also present ("shared only with law
enforcement agencies" does not confine sharing to California public agencies), and
``reasons`` says, per cue, why the quoted words fall short of the statute. A violating
clause whose text matches one of ``unless_text`` is a prohibition, not a permission
("… to federal agencies for immigration enforcement is illegal"). A state may also define
its own text cues (``[[cues]]``: an id and a pattern) for wording the detectors do not mark.

A requirement whose source is not verified (``verified = false``) says so in its finding,
so an unconfirmed fact is never presented as settled law.
"""

from __future__ import annotations

from .checks import check
from .loader import available, cue_vocabulary, load_jurisdiction, load_jurisdiction_file
from .models import (
    Jurisdiction,
    LegalExample,
    Requirement,
    Source,
    TextCue,
    UnknownJurisdictionError,
)

__all__ = [
    "Jurisdiction",
    "LegalExample",
    "Requirement",
    "Source",
    "TextCue",
    "UnknownJurisdictionError",
    "available",
    "check",
    "cue_vocabulary",
    "load_jurisdiction",
    "load_jurisdiction_file",
]
