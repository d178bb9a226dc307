"""An eForms notice (SDK 1.15) as XML, built from a notice's data (`notices.data`).

Pure: data in, bytes out, so what a kept version was made from explains it exactly. Element
order follows the UBL 2.3 schemas (the XSD checks it); the business terms are named beside
each element as the SDK's field ids (BT-…, OPP-…, OPT-…), which is also how a Schematron error
is traced back to the portal's field (`notices/fields.py`).

Subtypes: 4 (prior information notice for information only, directive 2014/24/EU art. 48(1)),
16 (contract notice, art. 49) and 29 (contract award notice, art. 50).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
ROOTS = {
    "4": ("PriorInformationNotice", "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2"),
    "16": ("ContractNotice", "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"),
    "29": ("ContractAwardNotice", "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"),
}  # fmt: skip
LANGUAGE = "DAN"
CURRENCY = "DKK"
COUNTRY = "DNK"
FRAMEWORKS = ("fa-wo-rc", "fa-w-rc", "fa-mix")

Data = Mapping[str, Any]


class _Builder:
    def __init__(self, root: etree._Element) -> None:
        self.root = root

    def add(self, parent: etree._Element, tag: str, text: Any = None, **attrs: str):
        prefix, name = tag.split(":")
        element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}")
        for key, value in attrs.items():
            element.set(key, value)
        if text is not None:
            element.text = str(text)
        return element

    def text(self, parent: etree._Element, tag: str, value: Any, **attrs: str) -> None:
        """An element only when there is a value: a missing value is left for the rules to name."""
        if value not in (None, ""):
            self.add(parent, tag, value, **attrs)

    def extension(self, parent: etree._Element) -> etree._Element:
        ext = self.add(parent, "ext:UBLExtensions")
        content = self.add(self.add(ext, "ext:UBLExtension"), "ext:ExtensionContent")
        return self.add(content, "efext:EformsExtension")

    def party_ref(self, parent: etree._Element, tag: str, org_id: str) -> etree._Element:
        party = self.add(parent, tag)
        ident = self.add(party, "cac:PartyIdentification")
        self.add(ident, "cbc:ID", org_id, schemeName="organization")
        return party


def _date(value: str | None) -> str | None:
    """ISO date-time with offset ("2027-03-05T12:00:00+01:00") → eForms date "2027-03-05+01:00"."""
    if not value:
        return None
    return value[:10] + _offset(value)


def _time(value: str | None) -> str | None:
    if not value:
        return None
    return value[11:19] + _offset(value)


def _offset(value: str) -> str:
    tail = value[19:] if len(value) > 19 else ""
    return "Z" if tail in ("", "Z", "+00:00") else tail


def build_notice(data: Data) -> bytes:
    """The notice's XML for one snapshot of the tender's data."""
    subtype = data["subtype"]
    name, namespace = ROOTS[subtype]
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace, **NS})
    b = _Builder(root)
    eforms = b.extension(root)
    if subtype == "29":
        _notice_result(b, eforms, data)
    b.add(
        b.add(eforms, "efac:NoticeSubType"), "cbc:SubTypeCode", subtype, listName="notice-subtype"
    )
    _organizations(b, eforms, data)

    b.add(root, "cbc:UBLVersionID", "2.3")
    b.add(root, "cbc:CustomizationID", "eforms-sdk-1.15")
    b.add(root, "cbc:ID", data["notice_id"], schemeName="notice-id")  # BT-701
    if subtype != "4":
        b.add(root, "cbc:ContractFolderID", data["procedure_id"])  # BT-04
    b.add(root, "cbc:IssueDate", _date(data["issued"]))  # BT-05(a)
    b.add(root, "cbc:IssueTime", _time(data["issued"]))  # BT-05(b)
    b.add(root, "cbc:VersionID", f"{data['version']:02d}")  # BT-757
    if subtype == "4":
        b.text(root, "cbc:PlannedDate", _date(data.get("planned_publication")))  # BT-127
    b.add(root, "cbc:RegulatoryDomain", "32014L0024")  # BT-01
    notice_type = {
        "4": ("planning", "pin-only"),
        "16": ("competition", "cn-standard"),
        "29": ("result", "can-standard"),
    }[subtype]
    b.add(root, "cbc:NoticeTypeCode", notice_type[1], listName=notice_type[0])  # BT-02
    b.add(root, "cbc:NoticeLanguageCode", LANGUAGE)  # BT-702
    for buyer in data["buyers"]:
        _contracting_party(b, root, buyer)
    if subtype == "16":
        terms = b.add(root, "cac:TenderingTerms")
        requirement = b.add(
            b.add(terms, "cac:TendererQualificationRequest"), "cac:SpecificTendererRequirement"
        )
        b.add(requirement, "cbc:TendererRequirementTypeCode", "epo-procurement-document",
              listName="exclusion-grounds-source")  # BT-806  # fmt: skip
        if len(data["lots"]) > 1:
            distribution = b.add(terms, "cac:LotDistribution")
            # BT-31: a tenderer may bid on every lot (the portal sets no limit).
            b.add(distribution, "cbc:MaximumLotsSubmittedNumeric", len(data["lots"]))
    if subtype != "4":
        process = b.add(root, "cac:TenderingProcess")
        b.add(
            process, "cbc:ProcedureCode", data["procedure"], listName="procurement-procedure-type"
        )  # BT-105
        if subtype == "16":
            justification = b.add(process, "cac:ProcessJustification")
            b.add(justification, "cbc:ProcessReasonCode", "true" if data["accelerated"] else "false",
                  listName="accelerated-procedure")  # BT-106  # fmt: skip
            if data["accelerated"]:
                b.text(justification, "cbc:ProcessReason", data.get("accelerated_reason"),
                       languageID=LANGUAGE)  # BT-1351  # fmt: skip
    _project(b, root, data, data["project"], procedure_level=True)
    if subtype == "4":
        _part(b, root, data)
    else:
        for lot in data["lots"]:
            _lot(b, root, data, lot)
    if subtype == "29":
        result = b.add(root, "cac:TenderResult")
        b.text(result, "cbc:AwardDate", data["award"]["award_date"])  # BT-1451 winner decision
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _organizations(b: _Builder, eforms: etree._Element, data: Data) -> None:
    organizations = b.add(eforms, "efac:Organizations")
    several = len(data["buyers"]) > 1
    for buyer in data["buyers"]:
        org = b.add(organizations, "efac:Organization")
        if several:
            # OPP-050: mandatory on every buyer of a joint procurement, forbidden otherwise.
            b.add(org, "efbc:GroupLeadIndicator", "true" if buyer["lead"] else "false")
        if buyer["lead"] and data.get("central_purchasing"):
            # OPP-051: the lead conducts the procedure and concludes the agreement for the others.
            b.add(org, "efbc:AwardingCPBIndicator", "true")
        _company(b, org, buyer)
    for other in data["organisations"]:
        org = b.add(organizations, "efac:Organization")
        _company(b, org, other)


def _company(b: _Builder, org: etree._Element, party: Data) -> None:
    company = b.add(org, "efac:Company")
    b.text(company, "cbc:WebsiteURI", party.get("website"))  # BT-505
    if party.get("size"):
        b.add(
            company, "efbc:CompanySizeCode", party["size"], listName="economic-operator-size"
        )  # BT-165
    ident = b.add(company, "cac:PartyIdentification")
    b.add(ident, "cbc:ID", party["id"], schemeName="organization")  # OPT-200
    b.add(b.add(company, "cac:PartyName"), "cbc:Name", party["name"], languageID=LANGUAGE)  # BT-500
    address = b.add(company, "cac:PostalAddress")
    b.text(address, "cbc:StreetName", party.get("street"))  # BT-510
    b.text(address, "cbc:CityName", party.get("city"))  # BT-513
    b.text(address, "cbc:PostalZone", party.get("postcode"))  # BT-512
    b.text(address, "cbc:CountrySubentityCode", party.get("nuts"), listName="nuts")  # BT-507
    country = b.add(address, "cac:Country")
    b.add(
        country, "cbc:IdentificationCode", party.get("country") or COUNTRY, listName="country"
    )  # BT-514
    legal = b.add(company, "cac:PartyLegalEntity")
    b.text(legal, "cbc:CompanyID", party.get("cvr"))  # BT-501
    if party.get("email") or party.get("phone"):
        contact = b.add(company, "cac:Contact")
        b.text(contact, "cbc:Telephone", party.get("phone"))  # BT-503
        b.text(contact, "cbc:ElectronicMail", party.get("email"))  # BT-506


def _contracting_party(b: _Builder, root: etree._Element, buyer: Data) -> None:
    party = b.add(root, "cac:ContractingParty")
    if buyer.get("legal_type"):
        kind = b.add(party, "cac:ContractingPartyType")
        b.add(kind, "cbc:PartyTypeCode", buyer["legal_type"], listName="buyer-legal-type")  # BT-11
    activity = b.add(party, "cac:ContractingActivity")
    b.add(activity, "cbc:ActivityTypeCode", "gen-pub", listName="authority-activity")  # BT-10
    b.party_ref(party, "cac:Party", buyer["id"])  # OPT-300


def _classification(b: _Builder, project: etree._Element, data: Data) -> None:
    if data.get("main_cpv"):
        main = b.add(project, "cac:MainCommodityClassification")
        b.add(main, "cbc:ItemClassificationCode", data["main_cpv"], listName="cpv")  # BT-262
    for code in data.get("additional_cpv", []):
        other = b.add(project, "cac:AdditionalCommodityClassification")
        b.add(other, "cbc:ItemClassificationCode", code, listName="cpv")  # BT-263


def _place(b: _Builder, project: etree._Element, nuts: list[str]) -> None:
    for code in nuts:
        address = b.add(b.add(project, "cac:RealizedLocation"), "cac:Address")
        b.add(address, "cbc:CountrySubentityCode", code, listName="nuts")  # BT-5071
        b.add(
            b.add(address, "cac:Country"), "cbc:IdentificationCode", COUNTRY, listName="country"
        )  # BT-5141


def _project(
    b: _Builder, parent: etree._Element, data: Data, project: Data, *, procedure_level: bool
) -> None:
    element = b.add(parent, "cac:ProcurementProject")
    b.add(element, "cbc:ID", project["internal_id"], schemeName="InternalID")  # BT-22
    b.add(element, "cbc:Name", project["title"], languageID=LANGUAGE)  # BT-21
    b.add(element, "cbc:Description", project["description"], languageID=LANGUAGE)  # BT-24
    b.add(
        element, "cbc:ProcurementTypeCode", data["contract_nature"], listName="contract-nature"
    )  # BT-23
    if project.get("estimated_value") and data["subtype"] != "29":
        total = b.add(element, "cac:RequestedTenderTotal")
        b.add(total, "cbc:EstimatedOverallContractAmount", project["estimated_value"],
              currencyID=CURRENCY)  # BT-27  # fmt: skip
    _classification(b, element, project)
    _place(b, element, data["nuts"])
    if not procedure_level:
        period = b.add(element, "cac:PlannedPeriod")
        b.text(period, "cbc:StartDate", _date(project.get("start")))  # BT-536
        b.add(period, "cbc:DurationMeasure", project["duration_months"], unitCode="MONTH")  # BT-36
        if project.get("renewals"):
            extension = b.add(element, "cac:ContractExtension")
            b.add(extension, "cbc:MaximumNumberNumeric", project["renewals"])  # BT-58
            renewal = b.add(extension, "cac:Renewal")
            b.add(b.add(renewal, "cac:Period"), "cbc:Description", project["renewal_description"],
                  languageID=LANGUAGE)  # BT-57  # fmt: skip


def _part(b: _Builder, root: etree._Element, data: Data) -> None:
    lot = b.add(root, "cac:ProcurementProjectLot")
    b.add(lot, "cbc:ID", "PAR-0000", schemeName="Part")
    terms = b.add(lot, "cac:TenderingTerms")
    b.party_ref(terms, "cac:AdditionalInformationParty", data["lead_buyer_id"])
    _appeal_terms(b, terms, data)
    element = b.add(lot, "cac:ProcurementProject")
    project = data["project"]
    b.add(element, "cbc:Name", project["title"], languageID=LANGUAGE)
    b.add(element, "cbc:Description", project["description"], languageID=LANGUAGE)
    b.add(element, "cbc:ProcurementTypeCode", data["contract_nature"], listName="contract-nature")
    _classification(b, element, project)
    _place(b, element, data["nuts"])


def _lot(b: _Builder, root: etree._Element, data: Data, lot: Data) -> None:
    subtype = data["subtype"]
    element = b.add(root, "cac:ProcurementProjectLot")
    b.add(element, "cbc:ID", lot["id"], schemeName="Lot")  # BT-137
    terms = b.add(element, "cac:TenderingTerms")
    if subtype == "16":
        b.add(terms, "cbc:VariantConstraintCode", "not-allowed", listName="permission")  # BT-63
    b.add(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")  # BT-60
    if subtype == "16":
        if data.get("documents_url"):
            documents = b.add(terms, "cac:CallForTendersDocumentReference")
            b.add(documents, "cbc:ID", data["reference"])  # OPT-140
            b.add(documents, "cbc:DocumentType", "non-restricted-document")  # OPP-140
            attachment = b.add(b.add(documents, "cac:Attachment"), "cac:ExternalReference")
            b.add(attachment, "cbc:URI", data["documents_url"])  # BT-15
        reserved = b.add(
            b.add(terms, "cac:TendererQualificationRequest"), "cac:SpecificTendererRequirement"
        )
        b.add(
            reserved, "cbc:TendererRequirementTypeCode", "none", listName="reserved-procurement"
        )  # BT-71
        source = b.add(
            b.add(terms, "cac:TendererQualificationRequest"), "cac:SpecificTendererRequirement"
        )
        b.add(source, "cbc:TendererRequirementTypeCode", "epo-procurement-document",
              listName="selection-criteria-source")  # BT-821  # fmt: skip
        execution = b.add(terms, "cac:ContractExecutionRequirement")
        b.add(
            execution, "cbc:ExecutionRequirementCode", "no", listName="reserved-execution"
        )  # BT-736
        invoicing = b.add(terms, "cac:ContractExecutionRequirement")
        b.add(
            invoicing, "cbc:ExecutionRequirementCode", "required", listName="einvoicing"
        )  # BT-743
        catalogue = b.add(terms, "cac:ContractExecutionRequirement")
        b.add(catalogue, "cbc:ExecutionRequirementCode", "not-allowed",
              listName="ecatalog-submission")  # BT-764  # fmt: skip
    _awarding_terms(b, terms, data["criteria"])
    if subtype == "16":
        b.party_ref(terms, "cac:AdditionalInformationParty", data["lead_buyer_id"])  # OPT-301
        recipient = b.party_ref(terms, "cac:TenderRecipientParty", data["lead_buyer_id"])
        if data.get("submission_url"):
            recipient.insert(0, etree.Element(f"{{{NS['cbc']}}}EndpointID"))
            recipient[0].text = data["submission_url"]  # BT-18
        if data.get("bid_validity_days") and data["procedure"] == "open":
            validity = b.add(terms, "cac:TenderValidityPeriod")
            b.add(
                validity, "cbc:DurationMeasure", data["bid_validity_days"], unitCode="DAY"
            )  # BT-98
    _appeal_terms(b, terms, data)
    if subtype == "16":
        b.add(b.add(terms, "cac:Language"), "cbc:ID", LANGUAGE)  # BT-97
        post_award = b.add(terms, "cac:PostAwardProcess")
        b.add(post_award, "cbc:ElectronicOrderUsageIndicator", "true")  # BT-92
        b.add(post_award, "cbc:ElectronicPaymentUsageIndicator", "true")  # BT-93
    process = b.add(element, "cac:TenderingProcess")
    if subtype == "16":
        b.add(process, "cbc:SubmissionMethodCode", "required", listName="esubmission")  # BT-17
    b.add(process, "cbc:GovernmentAgreementConstraintIndicator", "true")  # BT-115
    if subtype == "16":
        # An open procedure gives the bid deadline (BT-131); a restricted one the deadline for
        # requests to participate (BT-1311), the bid deadline comes with the invitation.
        deadline = data.get("bid_deadline") if data["procedure"] == "open" else None
        if deadline:
            period = b.add(process, "cac:TenderSubmissionDeadlinePeriod")
            b.add(period, "cbc:EndDate", _date(deadline))  # BT-131(d)
            b.add(period, "cbc:EndTime", _time(deadline))  # BT-131(t)
        requests = data.get("requests_deadline") if data["procedure"] == "restricted" else None
        if requests:
            period = b.add(process, "cac:ParticipationRequestReceptionPeriod")
            b.add(period, "cbc:EndDate", _date(requests))  # BT-1311(d)
            b.add(period, "cbc:EndTime", _time(requests))  # BT-1311(t)
        questions = data.get("questions_deadline")
        if questions:
            period = b.add(process, "cac:AdditionalInformationRequestPeriod")
            b.add(period, "cbc:EndDate", _date(questions))  # BT-13(d)
            b.add(period, "cbc:EndTime", _time(questions))  # BT-13(t)
        if deadline:
            opening = b.add(process, "cac:OpenTenderEvent")
            b.add(opening, "cbc:OccurrenceDate", _date(deadline))  # BT-132(d)
            b.add(opening, "cbc:OccurrenceTime", _time(deadline))  # BT-132(t)
    b.add(b.add(process, "cac:AuctionTerms"), "cbc:AuctionConstraintIndicator", "false")  # BT-767
    if lot["framework"] in FRAMEWORKS:
        framework = b.add(process, "cac:FrameworkAgreement")
        if subtype != "29":  # BT-113 is forbidden in an award notice
            b.text(framework, "cbc:MaximumOperatorQuantity", lot.get("max_participants"))
        if lot.get("max_value"):
            b.add(
                framework, "cbc:EstimatedMaximumValueAmount", lot["max_value"], currencyID=CURRENCY
            )  # BT-271
        if lot.get("duration_justification"):
            b.add(
                framework, "cbc:Justification", lot["duration_justification"], languageID=LANGUAGE
            )  # BT-109
        if len(framework) == 0:  # an empty element breaks the rules: leave it out
            process.remove(framework)
    contracting = b.add(process, "cac:ContractingSystem")
    b.add(
        contracting,
        "cbc:ContractingSystemTypeCode",
        lot["framework"],
        listName="framework-agreement",
    )  # BT-765
    dps = b.add(process, "cac:ContractingSystem")
    b.add(dps, "cbc:ContractingSystemTypeCode", "none", listName="dps-usage")  # BT-766
    _project(b, element, data, lot, procedure_level=False)


# Klagenævnsloven §§ 7 (time limits for a complaint) in short, for BT-99.
REVIEW_DEADLINES = (
    "Klage over tildeling skal være indgivet til Klagenævnet for Udbud inden 45 kalenderdage "
    "efter offentliggørelse af bekendtgørelsen om indgåelse af kontrakt eller rammeaftale, og "
    "inden 30 kalenderdage efter underretning om beslutningen, hvis underretningen indeholdt en "
    "begrundelse (klagenævnsloven § 7)."
)


def _appeal_terms(b: _Builder, terms: etree._Element, data: Data) -> None:
    appeal = b.add(terms, "cac:AppealTerms")
    period = b.add(appeal, "cac:PresentationPeriod")
    b.add(period, "cbc:Description", REVIEW_DEADLINES, languageID=LANGUAGE)  # BT-99
    b.party_ref(appeal, "cac:AppealInformationParty", data["lead_buyer_id"])  # OPT-301 review info
    b.party_ref(appeal, "cac:AppealReceiverParty", data["review_body_id"])  # OPT-301 review org


def _awarding_terms(b: _Builder, terms: etree._Element, criteria: list[Data]) -> None:
    if not criteria:
        return
    criterion = b.add(b.add(terms, "cac:AwardingTerms"), "cac:AwardingCriterion")
    for item in criteria:
        sub = b.add(criterion, "cac:SubordinateAwardingCriterion")
        eforms = b.extension(sub)
        parameter = b.add(eforms, "efac:AwardCriterionParameter")
        b.add(parameter, "efbc:ParameterCode", "per-exa", listName="number-weight")  # BT-5421
        b.add(parameter, "efbc:ParameterNumeric", item["weight"])  # BT-541
        b.add(
            sub, "cbc:AwardingCriterionTypeCode", item["type"], listName="award-criterion-type"
        )  # BT-539
        b.add(sub, "cbc:Name", item["name"], languageID=LANGUAGE)  # BT-734
        b.add(sub, "cbc:Description", item["name"], languageID=LANGUAGE)  # BT-540


# received-submission-type code → key of the portal's received-tenders record (notices.data).
RECEIVED_STATISTICS = (
    ("tenders", "tenders"),
    ("t-sme", "sme"),
    ("t-large", "large"),
    ("t-oth-eea", "other_eea"),
    ("t-no-eea", "non_eea"),
    ("t-esubm", "electronic"),
)


def _notice_result(b: _Builder, eforms: etree._Element, data: Data) -> None:
    award = data["award"]
    result = b.add(eforms, "efac:NoticeResult")
    # BT-161 only for contracts: a framework agreement's value is its maximum (BT-709).
    b.text(result, "cbc:TotalAmount", award.get("total"), currencyID=CURRENCY)
    b.text(result, "efbc:OverallMaximumFrameworkContractsAmount", award.get("framework_total"),
           currencyID=CURRENCY)  # BT-118  # fmt: skip
    for lot_result in award["lot_results"]:
        element = b.add(result, "efac:LotResult")
        b.add(element, "cbc:ID", lot_result["id"], schemeName="result")  # OPT-322
        b.add(
            element, "cbc:TenderResultCode", "selec-w", listName="winner-selection-status"
        )  # BT-142
        for tender_id in lot_result["tenders"]:
            b.add(b.add(element, "efac:LotTender"), "cbc:ID", tender_id, schemeName="tender")
        if lot_result.get("max_value"):
            values = b.add(element, "efac:FrameworkAgreementValues")
            b.add(
                values, "cbc:MaximumValueAmount", lot_result["max_value"], currencyID=CURRENCY
            )  # BT-709
        received = lot_result.get("received")
        if received:
            # BT-759/BT-760 with every breakdown the rules ask for in subtype 29 (BR-BT-13713).
            for code, key in RECEIVED_STATISTICS:
                stat = b.add(element, "efac:ReceivedSubmissionsStatistics")
                b.add(stat, "efbc:StatisticsCode", code, listName="received-submission-type")
                b.add(stat, "efbc:StatisticsNumeric", received[key])
        for contract_id in lot_result["contracts"]:
            b.add(
                b.add(element, "efac:SettledContract"), "cbc:ID", contract_id, schemeName="contract"
            )
        b.add(b.add(element, "efac:TenderLot"), "cbc:ID", lot_result["lot_id"], schemeName="Lot")
    for tender in award["tenders"]:
        element = b.add(result, "efac:LotTender")
        b.add(element, "cbc:ID", tender["id"], schemeName="tender")  # OPT-321
        b.add(element, "cbc:RankCode", tender["rank"])  # BT-171
        b.add(element, "efbc:TenderRankedIndicator", "true")  # BT-1711
        total = b.add(element, "cac:LegalMonetaryTotal")
        b.add(total, "cbc:PayableAmount", tender["value"], currencyID=CURRENCY)  # BT-720
        subcontracting = b.add(element, "efac:SubcontractingTerm")
        # BT-773: what the tender said about subcontracting; the portal does not record it.
        b.add(subcontracting, "efbc:TermCode", "not-known", listName="applicability")
        b.add(
            b.add(element, "efac:TenderingParty"),
            "cbc:ID",
            tender["party_id"],
            schemeName="tendering-party",
        )
        b.add(b.add(element, "efac:TenderLot"), "cbc:ID", tender["lot_id"], schemeName="Lot")
        b.add(b.add(element, "efac:TenderReference"), "cbc:ID", tender["reference"])  # BT-3201
    for contract in award["contracts"]:
        element = b.add(result, "efac:SettledContract")
        b.add(element, "cbc:ID", contract["id"], schemeName="contract")  # OPT-316
        b.add(element, "cbc:IssueDate", contract["signed"])  # BT-145
        b.add(b.add(element, "efac:ContractReference"), "cbc:ID", contract["number"])  # BT-150
        for tender_id in contract["tenders"]:
            b.add(b.add(element, "efac:LotTender"), "cbc:ID", tender_id, schemeName="tender")
    for party in award["parties"]:
        element = b.add(result, "efac:TenderingParty")
        b.add(element, "cbc:ID", party["id"], schemeName="tendering-party")  # OPT-210
        b.add(
            b.add(element, "efac:Tenderer"), "cbc:ID", party["org_id"], schemeName="organization"
        )  # OPT-300
