"""Tender pages, one module per concept.

`tenders` (list, a tender, the member's own tenders, the forms, thresholds), `participation`
(a member's answer, reopening), `transitions` (workflow steps), `pooling`, `lots`, `timeline`
(the timeline, the tender plan, calendar feeds), `documents` (versions, rendering, template
texts), `deadlines` (the deadline calculator), `corrigenda` (changing a
published tender); `common` (looking up a tender).
"""
