"""The cue vocabulary: every mark a detector puts on a finding, and what it means.

State files (``rubric/jurisdictions/*.toml``) name cues in ``violated_by``, ``satisfied_by``,
``falls_short_by`` and ``reasons``. Loading a state checks every name against this table,
the shipped criteria's elements (``element.<id>``), the loopholes (``loophole.<id>``) and
the state's own ``[[cues]]``, so a misspelt cue is an error, not a requirement that can
never be met. ``policy-audit rubric --cues`` prints the vocabulary. A test runs the
detectors over every sample and annotated case and checks that each cue they emit is
listed here, so the table cannot fall behind the code.

A leaf module: plain data, no imports from the package.
"""

from __future__ import annotations

DETECTOR_CUES: dict[str, str] = {
    # Retention (detect/retention.py)
    "retention.limit": "a firm maximum period (shall/must/will be purged; 'retained for a "
    "maximum of'; 'may be retained up to' also caps what is allowed)",
    "retention.min_only": "a minimum period with no maximum ('at least', 'a minimum of')",
    "retention.discretionary": "deletion left to discretion ('may be purged', 'should')",
    "retention.deferral": "deferral to a records schedule or another policy, with no number",
    "retention.indefinite": "'as long as necessary', 'indefinitely', 'until no longer needed'",
    "retention.no_period": "deletion or storage said to happen, with no period",
    "retention.field": "the period was read from a label/value field ('Data retention: 30 days')",
    "scope.nonhit": "the clause expressly covers data not tied to a hit or investigation",
    "scope.hit": "the clause covers hit, evidence or case data only",
    "scope.other": "the clause covers other records (query logs, audit trails, hot lists, "
    "video, requests)",
    "scope.general": "the clause covers ALPR data in general",
    "scope.residual": "the clause covers whatever is left once hit data is set aside",
    # Sharing (detect/sharing.py)
    "sharing.le_only": "sharing only with law-enforcement or public agencies",
    "sharing.in_state_only": "sharing only within the state",
    "sharing.process": "a need/right to know, a documented or written request, an approval "
    "or a written agreement before sharing",
    "sharing.sale_ban": "sale of the data forbidden",
    "sharing.private_ban": "giving the data to private persons or entities forbidden",
    "sharing.private_allowed": "a carve-out that lets private parties have the data",
    "sharing.closed_list": "a ban on sharing with 'any other person or entity' than those "
    "named, which closes the list of recipients",
    "sharing.recipient_restriction": "named recipients barred (federal, out-of-state …); "
    "name them with [kind+kind]",
    "sharing.broad": "any agency or entity, 'as deemed appropriate', third parties allowed",
    "sharing.network": "a nationwide or national vendor network or lookup is joined",
    "sharing.pooled": "the data is stored in another agency's pooled database",
    "sharing.grant_list": "a portal's list of agencies granted access to the data",
    "sharing.no_recipients": "an access list that says 'None'",
    "sharing.empty_list": "an access list label with nothing under it",
    "sharing.federal_allowed": "federal agencies among those the data may go to",
    "sharing.out_of_state_allowed": "a standing access list with agencies of several states",
    "sharing.vendor_license": "the vendor is licensed to use or share the data itself",
    "sharing.field": "read from a label/value field (an access list and its label)",
    "sharing.addressed": "sharing is spoken of, without any of the above",
    # Immigration (detect/immigration.py)
    "immigration.use_ban": "the data may not be used for immigration enforcement",
    "immigration.share_ban": "the data may not be shared for immigration enforcement (or "
    "with ICE/CBP/DHS, or with all federal agencies)",
    "immigration.by_reference": "a ban only by naming a law (Values Act, a sanctuary ordinance)",
    "immigration.exception": "the ban carries an exception that can swallow it ('except as "
    "required by law', 'unless approved by the Chief')",
    "immigration.judicial_exception": "the only exception is a judicial warrant or court "
    "order, which keeps the ban whole",
    "immigration.allowed": "sharing with immigration authorities expressly allowed",
    "immigration.civil_only": "the ban covers civil immigration enforcement only",
    "immigration.carve_out": "a sentence keeping immigration work open ('nothing in this "
    "section prevents …')",
    # Reporting (detect/reporting.py)
    "reporting.public_figures": "usage figures made public (scans, hits, searches)",
    "reporting.public_report": "a periodic public report, its figures not stated",
    "reporting.policy_published": "the policy itself is posted or linked",
    "reporting.policy_text": "a public transparency page carries the policy's own text",
    "reporting.oversight_report": "a report to a council, board, commission or legislature",
    "reporting.summary": "a periodic summary of use with no stated audience",
    "reporting.internal": "audits or reports that go only to command staff",
    "reporting.vendor_link": "a link to the vendor's page, not the agency's policy",
    "reporting.field": "usage figures read from a label/value field",
    # Element criteria (detect/elements.py): a triggered clause with none of its elements.
    "addressed": "a clause about an element criterion that states none of its elements",
}

# The recipient kinds a cue may require with ``cue[kind+kind]`` (detect/recipients.py),
# plus ``other_state``, which the state checks derive from a portal's access list.
RECIPIENT_KINDS: dict[str, str] = {
    "immigration": "ICE, CBP, DHS, federal immigration authorities",
    "federal": "federal agencies (FBI, DEA, ATF …)",
    "out_of_state": "agencies outside the state",
    "any_agency": "any or all agencies",
    "law_enforcement": "law-enforcement agencies",
    "in_state": "agencies of the state",
    "private": "private persons or entities",
    "network": "a vendor network or national lookup",
    "other_state": "an agency of another state listed in a portal's access list",
}

# Cue families built from rubric data: ``element.<id>`` (and ``.soft``/``.qualified``) for
# each element of a criterion, ``loophole.<id>`` for each loophole.
ELEMENT_SUFFIXES = ("", ".soft", ".qualified")
