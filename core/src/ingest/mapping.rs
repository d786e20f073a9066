//! Headers to canonical fields (SPEC §1.5).
//!
//! Headers and synonyms are compared after [`normalise`]: lower case, with
//! whitespace, `_`, `-` and `.` removed, so `Order ID`, `order_id`,
//! `ORDER-ID` and `Order.Id` are one name. Each field lists its synonyms in
//! order of preference; a field takes the header that matches its most
//! preferred synonym (the leftmost on a tie). Within one kind of file no
//! synonym belongs to two fields (a test checks it), so one header never
//! serves two fields by accident.
//!
//! The user's overrides (canonical field → header as written) are applied
//! first and always win; an override to the empty string leaves an optional
//! field unmapped on purpose.

use super::{FileKind, IngestError, MappedField, MatchedBy, Overrides};

/// The type of a canonical field's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text: identifiers (trimmed, case kept) and labels.
    Text,
    /// A number (decimal separator detected per column).
    Number,
    /// A share between 0 and 1; `25%` reads as 0.25.
    Fraction,
    /// A calendar date.
    Date,
    /// Yes/no: true/false, yes/no, y/n, 1/0, x/empty.
    Bool,
    /// Product lifecycle: new, active, eol.
    Lifecycle,
    /// Cost driver name (`orders`, `lines`, `units`, `value`, `weight_kg`, `customers`).
    Driver,
}

/// A canonical field of one kind of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldSpec {
    /// Canonical name (`order_id`, `sku`, …), as used in the mapping configuration.
    pub name: &'static str,
    /// Whether a file of this kind cannot be loaded without it.
    pub required: bool,
    /// The type of its values.
    pub ty: FieldType,
    /// Recognised headers in [`normalise`]d form, most preferred first.
    pub synonyms: &'static [&'static str],
}

const fn field(
    name: &'static str,
    required: bool,
    ty: FieldType,
    synonyms: &'static [&'static str],
) -> FieldSpec {
    FieldSpec { name, required, ty, synonyms }
}

use FieldType::{Bool, Date, Driver, Fraction, Lifecycle, Number, Text};

// Synonyms are grouped: generic English first, then ERP-specific (SAP,
// Dynamics, NetSuite), e-commerce (Shopify, WooCommerce, Online Retail),
// then German and French exports. The forms are already normalised.

const SKU: &[&str] = &[
    "sku",
    "material",
    "materialnumber",
    "materialno",
    "productid",
    "productcode",
    "productno",
    "productnumber",
    "productsku",
    "itemno",
    "itemnumber",
    "itemid",
    "itemcode",
    "itemsku",
    "stockcode",
    "articleno",
    "articlenumber",
    "partno",
    "partnumber",
    "lineitemsku",
    "variantsku",
    "item",
    "product",
    "article",
    "part",
    "artikelnummer",
    "artikelnr",
    "artikel",
    "materialnr",
    "sachnummer",
    "référence",
    "reference",
    "codearticle",
    "article#",
    "item#",
];

const CUSTOMER_ID: &[&str] = &[
    "customerid",
    "customerno",
    "customernumber",
    "customercode",
    "customer#",
    "custid",
    "customer",
    "customeraccount",
    "soldto",
    "soldtoparty",
    "soldtopt",
    "soldtono",
    "selltocustomerno",
    "billtocustomerno",
    "accountno",
    "accountnumber",
    "clientid",
    "client",
    "kunde",
    "kundennummer",
    "kundennr",
    "auftraggeber",
    "debitor",
    "debitornummer",
    "codeclient",
    "numéroclient",
];

static ORDERS: [FieldSpec; 19] = [
    field(
        "order_id",
        true,
        Text,
        &[
            "orderid",
            "orderno",
            "ordernumber",
            "ordernr",
            "order#",
            "order",
            "salesorder",
            "salesorderno",
            "salesordernumber",
            "salesorderid",
            "salesdocument",
            "salesdoc",
            "sonumber",
            "sono",
            "salesid",
            "invoice",
            "invoiceno",
            "invoicenumber",
            "invoiceid",
            "invoice#",
            "billingdocument",
            "documentno",
            "documentnumber",
            "docno",
            "docnum",
            "document",
            "tranid",
            "transactionid",
            "orderreference",
            "auftrag",
            "auftragsnummer",
            "auftragsnr",
            "verkaufsbeleg",
            "belegnummer",
            "belegnr",
            "rechnungsnummer",
            "rechnungsnr",
            "rechnung",
            "commande",
            "numérodecommande",
            "numérocommande",
            "nocommande",
            "facture",
        ],
    ),
    field(
        "order_date",
        true,
        Date,
        &[
            "orderdate",
            "orderdatetime",
            "dateordered",
            "orderedat",
            "orderplaced",
            "invoicedate",
            "postingdate",
            "documentdate",
            "billingdate",
            "transactiondate",
            "txndate",
            "salesdate",
            "createdon",
            "createdat",
            "createddate",
            "datecreated",
            "createddateandtime",
            "purchasedate",
            "date",
            "auftragsdatum",
            "belegdatum",
            "buchungsdatum",
            "rechnungsdatum",
            "fakturadatum",
            "erstelltam",
            "datum",
            "datecommande",
            "datedecommande",
            "datefacture",
        ],
    ),
    field("sku", true, Text, SKU),
    field(
        "quantity",
        true,
        Number,
        &[
            "quantity",
            "qty",
            "orderquantity",
            "orderqty",
            "quantityordered",
            "qtyordered",
            "orderedquantity",
            "salesquantity",
            "invoicedquantity",
            "billedquantity",
            "billingquantity",
            "lineitemquantity",
            "itemquantity",
            "quantity(refund)",
            "units",
            "unitssold",
            "pieces",
            "pcs",
            "menge",
            "auftragsmenge",
            "fakturiertemenge",
            "anzahl",
            "stück",
            "stk",
            "quantité",
            "qté",
        ],
    ),
    field("customer_id", false, Text, CUSTOMER_ID),
    field(
        "unit_price",
        false,
        Number,
        &[
            "unitprice",
            "price",
            "netprice",
            "sellingprice",
            "salesprice",
            "saleprice",
            "priceperunit",
            "unitsellingprice",
            "itemprice",
            "lineitemprice",
            "rate",
            "preis",
            "einzelpreis",
            "stückpreis",
            "nettopreis",
            "verkaufspreis",
            "prixunitaire",
            "prix",
            "prixunitaireht",
        ],
    ),
    field(
        "line_revenue",
        false,
        Number,
        &[
            "linerevenue",
            "sales",
            "revenue",
            "netrevenue",
            "netsales",
            "salesamount",
            "salesvalue",
            "netamount",
            "netvalue",
            "lineamount",
            "linenetamount",
            "linetotal",
            "linevalue",
            "extendedprice",
            "extprice",
            "extendedamount",
            "amount",
            "value",
            "turnover",
            "umsatz",
            "nettoumsatz",
            "nettowert",
            "nettobetrag",
            "betrag",
            "wert",
            "montant",
            "montantht",
            "chiffred'affaires",
        ],
    ),
    field(
        "unit_cost",
        false,
        Number,
        &[
            "unitcost",
            "costperunit",
            "cost",
            "costprice",
            "standardcost",
            "unitcostlcy",
            "estunitcost",
            "averagecost",
            "avgcost",
            "purchaseprice",
            "einstandspreis",
            "stückkosten",
            "coûtunitaire",
            "prixderevient",
        ],
    ),
    field(
        "line_cost",
        false,
        Number,
        &[
            "linecost",
            "cogs",
            "totalcost",
            "costofgoodssold",
            "costofsales",
            "extendedcost",
            "costamount",
            "costamountactual",
            "wareneinsatz",
            "herstellkosten",
            "coûttotal",
        ],
    ),
    field(
        "line_margin",
        false,
        Number,
        &[
            "linemargin",
            "profit",
            "margin",
            "grossprofit",
            "grossmargin",
            "marginamount",
            "deckungsbeitrag",
            "rohertrag",
            "marge",
            "gewinn",
            "margebrute",
        ],
    ),
    field(
        "weight_kg",
        false,
        Number,
        &[
            "weightkg",
            "weight(kg)",
            "weight",
            "unitweight",
            "weightperunit",
            "netweight",
            "grossweight",
            "gewicht",
            "nettogewicht",
            "bruttogewicht",
            "gewicht(kg)",
            "poids",
            "poids(kg)",
        ],
    ),
    field(
        "ship_mode",
        false,
        Text,
        &[
            "shipmode",
            "shipmethod",
            "shippingmode",
            "shippingmethod",
            "shipvia",
            "modeofdelivery",
            "deliverymode",
            "deliverymethod",
            "shippingcondition",
            "carrier",
            "versandart",
            "versandbedingung",
            "modedelivraison",
            "transporteur",
        ],
    ),
    field(
        "warehouse",
        false,
        Text,
        &[
            "warehouse",
            "warehousecode",
            "whse",
            "plant",
            "site",
            "location",
            "locationcode",
            "shippingpoint",
            "distributioncenter",
            "dc",
            "lager",
            "lagerort",
            "werk",
            "entrepôt",
            "depot",
        ],
    ),
    field(
        "region",
        false,
        Text,
        &[
            "region",
            "salesregion",
            "territory",
            "salesterritory",
            "salesdistrict",
            "area",
            "gebiet",
            "verkaufsgebiet",
            "région",
        ],
    ),
    field(
        "channel",
        false,
        Text,
        &[
            "channel",
            "saleschannel",
            "distributionchannel",
            "ordersource",
            "vertriebsweg",
            "vertriebskanal",
            "kanal",
            "canal",
        ],
    ),
    field(
        "promised_date",
        false,
        Date,
        &[
            "promiseddate",
            "promisedate",
            "promiseddeliverydate",
            "requesteddeliverydate",
            "requesteddelivdate",
            "reqdelivdate",
            "requesteddate",
            "confirmeddeliverydate",
            "committeddate",
            "duedate",
            "wunschliefertermin",
            "liefertermin",
            "datepromise",
        ],
    ),
    field(
        "delivered_date",
        false,
        Date,
        &[
            "delivereddate",
            "datedelivered",
            "deliverydate",
            "actualdeliverydate",
            "receiveddate",
            "lieferdatum",
            "datelivraison",
            "datedelivraison",
        ],
    ),
    field(
        "promo",
        false,
        Bool,
        &["promo", "promotion", "onpromotion", "onpromo", "promoflag", "ispromo", "aktion"],
    ),
    // Row counters are recognised so that they can be left out when looking
    // for duplicate lines; they are not used otherwise.
    field(
        "row_id",
        false,
        Text,
        &["rowid", "row", "rowno", "rownumber", "rownum", "index", "unnamed:0", "#", "zeile"],
    ),
];

static PRODUCTS: [FieldSpec; 16] = [
    field("sku", true, Text, SKU),
    field(
        "description",
        false,
        Text,
        &[
            "description",
            "productname",
            "itemname",
            "itemdescription",
            "productdescription",
            "materialdescription",
            "name",
            "title",
            "bezeichnung",
            "artikelbezeichnung",
            "materialkurztext",
            "désignation",
            "libellé",
        ],
    ),
    field(
        "category",
        false,
        Text,
        &[
            "category",
            "productcategory",
            "itemcategory",
            "productgroup",
            "materialgroup",
            "itemgroup",
            "productfamily",
            "family",
            "department",
            "warengruppe",
            "kategorie",
            "catégorie",
            "famille",
        ],
    ),
    field(
        "unit_cost",
        false,
        Number,
        &[
            "unitcost",
            "cost",
            "costperunit",
            "costprice",
            "standardcost",
            "standardprice",
            "movingaverageprice",
            "averagecost",
            "avgcost",
            "purchaseprice",
            "unitcostlcy",
            "einstandspreis",
            "standardpreis",
            "coûtunitaire",
            "prixderevient",
        ],
    ),
    field(
        "weight_kg",
        false,
        Number,
        &[
            "weightkg",
            "weight(kg)",
            "weight",
            "unitweight",
            "netweight",
            "grossweight",
            "gewicht",
            "nettogewicht",
            "bruttogewicht",
            "poids",
        ],
    ),
    field(
        "lead_time_days",
        false,
        Number,
        &[
            "leadtimedays",
            "leadtime",
            "leadtime(days)",
            "leadtimeindays",
            "replenishmentleadtime",
            "supplierleadtime",
            "purchasingleadtime",
            "planneddelivtime",
            "planneddeliverytime",
            "deliverytime",
            "lt",
            "wiederbeschaffungszeit",
            "lieferzeit",
            "délai",
            "délaideréappro",
        ],
    ),
    field(
        "lead_time_sd_days",
        false,
        Number,
        &[
            "leadtimesddays",
            "leadtimesd",
            "leadtimestddev",
            "leadtimestdev",
            "leadtimestandarddeviation",
            "ltsd",
            "sdleadtime",
        ],
    ),
    field(
        "moq",
        false,
        Number,
        &[
            "moq",
            "minimumorderquantity",
            "minorderqty",
            "minorderquantity",
            "minimumorderqty",
            "minimumlotsize",
            "minlotsize",
            "mindestbestellmenge",
            "mindestlosgröße",
        ],
    ),
    field(
        "order_multiple",
        false,
        Number,
        &[
            "ordermultiple",
            "ordermultiples",
            "multiple",
            "lotmultiple",
            "roundingvalue",
            "packsize",
            "casepack",
            "casesize",
            "packquantity",
            "rundungswert",
            "verpackungseinheit",
        ],
    ),
    field(
        "lifecycle",
        false,
        Lifecycle,
        &[
            "lifecycle",
            "lifecyclestage",
            "lifecyclestatus",
            "plcstatus",
            "productstatus",
            "itemstatus",
            "status",
            "lebenszyklus",
        ],
    ),
    field(
        "perishable",
        false,
        Bool,
        &["perishable", "isperishable", "perishableflag", "verderblich"],
    ),
    field(
        "strategic",
        false,
        Bool,
        &["strategic", "isstrategic", "strategicitem", "keyitem", "strategisch"],
    ),
    field(
        "holding_rate",
        false,
        Fraction,
        &[
            "holdingrate",
            "holdingcostrate",
            "carryingcostrate",
            "carryingrate",
            "inventorycarryingrate",
            "holdingcost%",
            "lagerkostensatz",
        ],
    ),
    field(
        "on_hand",
        false,
        Number,
        &[
            "onhand",
            "qtyonhand",
            "quantityonhand",
            "onhandqty",
            "stockonhand",
            "soh",
            "stock",
            "currentstock",
            "stocklevel",
            "inventory",
            "unrestrictedstock",
            "bestand",
            "lagerbestand",
        ],
    ),
    field(
        "forecast",
        false,
        Number,
        &[
            "forecast",
            "forecastqty",
            "forecastquantity",
            "forecastdemand",
            "demandforecast",
            "prognose",
            "prévision",
        ],
    ),
    field(
        "shelf_life_days",
        false,
        Number,
        &[
            "shelflifedays",
            "shelflife",
            "shelflife(days)",
            "totalshelflife",
            "bestbeforedays",
            "haltbarkeit",
            "mindesthaltbarkeit",
        ],
    ),
];

static CUSTOMERS: [FieldSpec; 6] = [
    field("customer_id", true, Text, CUSTOMER_ID),
    field(
        "name",
        false,
        Text,
        &[
            "name",
            "customername",
            "accountname",
            "companyname",
            "company",
            "clientname",
            "searchname",
            "name1",
            "kundenname",
            "firma",
            "nomclient",
            "raisonsociale",
            "nom",
        ],
    ),
    field(
        "channel",
        false,
        Text,
        &[
            "channel",
            "saleschannel",
            "distributionchannel",
            "segment",
            "customersegment",
            "customertype",
            "vertriebsweg",
            "kanal",
            "canal",
        ],
    ),
    field(
        "region",
        false,
        Text,
        &[
            "region",
            "salesregion",
            "territory",
            "salesterritory",
            "salesdistrict",
            "area",
            "gebiet",
            "verkaufsgebiet",
            "région",
        ],
    ),
    field(
        "strategic",
        false,
        Bool,
        &[
            "strategic",
            "isstrategic",
            "strategicaccount",
            "keyaccount",
            "keycustomer",
            "strategisch",
        ],
    ),
    field(
        "target_service_level",
        false,
        Fraction,
        &[
            "targetservicelevel",
            "servicelevel",
            "serviceleveltarget",
            "targetsl",
            "sltarget",
            "lieferbereitschaftsgrad",
            "servicegrad",
        ],
    ),
];

static COST_POOLS: [FieldSpec; 4] = [
    field(
        "pool",
        true,
        Text,
        &["pool", "costpool", "poolname", "activity", "name", "costcenter", "kostenstelle"],
    ),
    field(
        "annual_cost",
        true,
        Number,
        &[
            "annualcost",
            "cost",
            "annualamount",
            "yearlycost",
            "costperyear",
            "amount",
            "budget",
            "totalcost",
            "kosten",
            "jahreskosten",
        ],
    ),
    field(
        "driver",
        true,
        Driver,
        &["driver", "costdriver", "allocationdriver", "allocationbasis", "basis", "treiber"],
    ),
    field(
        "fixed_share",
        false,
        Fraction,
        &[
            "fixedshare",
            "fixed",
            "fixedportion",
            "fixedpart",
            "fixedfraction",
            "fixed%",
            "fixanteil",
        ],
    ),
];

/// The canonical fields of a kind of file, in the order the app lists them.
///
/// Besides the fields of SPEC §1, the orders file knows `row_id`: a row
/// counter such as Superstore's `Row ID`, which is left out when looking for
/// duplicate lines (two copies of a line differ only in their row number).
///
/// # Example
/// ```
/// use segscope_core::ingest::{fields, FileKind};
/// let sku = fields(FileKind::Orders).iter().find(|f| f.name == "sku").unwrap();
/// assert!(sku.required);
/// assert!(sku.synonyms.contains(&"stockcode"));
/// ```
pub fn fields(kind: FileKind) -> &'static [FieldSpec] {
    match kind {
        FileKind::Orders => &ORDERS,
        FileKind::Products => &PRODUCTS,
        FileKind::Customers => &CUSTOMERS,
        FileKind::CostPools => &COST_POOLS,
        FileKind::Cells => &super::cells::FIELDS,
    }
}

/// The form in which headers and synonyms are compared: lower case, without
/// whitespace, `_`, `-` or `.`.
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The outcome of mapping a header row.
#[derive(Clone, Debug)]
pub(crate) struct Mapping {
    /// One entry per field of the kind, in [`fields`] order.
    pub fields: Vec<MappedField>,
}

impl Mapping {
    /// The column of a canonical field, if mapped.
    pub fn column(&self, field: &str) -> Option<usize> {
        self.fields.iter().find(|f| f.field == field).and_then(|f| f.column)
    }
}

/// Maps `headers` to the fields of `kind`.
///
/// # Errors
/// [`IngestError::BadOverride`] when an override names an unknown field or a
/// header the file lacks; [`IngestError::MissingField`] when a required field
/// stays unmapped.
pub(crate) fn map_headers(
    file: &str,
    kind: FileKind,
    headers: &[String],
    overrides: &Overrides,
) -> Result<Mapping, IngestError> {
    let specs = fields(kind);
    let normalised: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let mut column: Vec<Option<usize>> = vec![None; specs.len()];
    let mut matched_by = vec![MatchedBy::Unmatched; specs.len()];
    let mut used = vec![false; headers.len()];
    let mut decided = vec![false; specs.len()];

    for (name, header) in overrides {
        let bad = |problem: String| IngestError::BadOverride {
            file: file.to_owned(),
            field: name.clone(),
            header: header.clone(),
            problem,
        };
        let Some(f) = specs.iter().position(|s| s.name == name) else {
            let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
            return Err(bad(format!(
                "cannot be used: `{name}` is not a field of a {} file; the fields are {}",
                kind.label(),
                known.join(", ")
            )));
        };
        decided[f] = true;
        if header.trim().is_empty() {
            if specs[f].required {
                return Err(bad(format!(
                    "leaves the required field `{name}` without a column; choose one of: {}",
                    headers.join(", ")
                )));
            }
            continue;
        }
        let wanted = normalise(header);
        let Some(c) = headers
            .iter()
            .position(|h| h == header)
            .or_else(|| normalised.iter().position(|n| *n == wanted))
        else {
            return Err(bad(format!(
                "is not a header of this file; the headers are: {}",
                headers.join(", ")
            )));
        };
        if used[c] {
            let other = specs
                .iter()
                .zip(&column)
                .find(|(_, col)| **col == Some(c))
                .map_or("another field", |(s, _)| s.name);
            return Err(bad(format!("is already mapped to `{other}`; map each column once")));
        }
        used[c] = true;
        column[f] = Some(c);
        matched_by[f] = MatchedBy::Override;
    }

    for (f, spec) in specs.iter().enumerate() {
        if decided[f] {
            continue;
        }
        let best = normalised
            .iter()
            .enumerate()
            .filter(|(c, _)| !used.get(*c).copied().unwrap_or(true))
            .filter_map(|(c, n)| spec.synonyms.iter().position(|s| s == n).map(|rank| (rank, c)))
            .min();
        if let Some((_, c)) = best {
            used[c] = true;
            column[f] = Some(c);
            matched_by[f] = MatchedBy::Synonym;
        }
    }

    if let Some(spec) = specs.iter().zip(&column).find(|(s, c)| s.required && c.is_none()) {
        return Err(IngestError::MissingField {
            file: file.to_owned(),
            field: spec.0.name.to_owned(),
            headers: headers.iter().take(MAX_LISTED).map(|h| shorten(h, 60)).collect(),
        });
    }

    let fields = specs
        .iter()
        .zip(column)
        .zip(matched_by)
        .map(|((spec, column), matched_by)| MappedField {
            field: spec.name.to_owned(),
            required: spec.required,
            header: column.and_then(|c| headers.get(c).cloned()),
            column,
            matched_by,
        })
        .collect();
    Ok(Mapping { fields })
}

/// At most this many headers are listed in an error message.
const MAX_LISTED: usize = 100;

/// `text` cut to `max` characters, with `…` when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Maps `headers` of an orders file and returns the header chosen for `field`.
    fn orders_header(headers: &[&str], field: &str) -> Option<String> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let m = map_headers("orders.csv", FileKind::Orders, &headers, &BTreeMap::new()).ok()?;
        m.fields.into_iter().find(|f| f.field == field)?.header
    }

    /// Checks that `header` is a synonym of `field` in an orders file.
    fn check(header: &str, field: &str) {
        let n = normalise(header);
        let got = fields(FileKind::Orders).iter().find(|f| f.synonyms.contains(&n.as_str()));
        assert_eq!(got.map(|f| f.name), Some(field), "{header}");
    }

    #[test]
    fn headers_are_normalised_before_matching() {
        for (header, expected) in [
            ("Order ID", "orderid"),
            ("order_id", "orderid"),
            ("ORDER-ID", "orderid"),
            ("Order.Id", "orderid"),
            (" Sold-to party ", "soldtoparty"),
            ("Stück\u{a0}preis", "stückpreis"),
            ("Weight (kg)", "weight(kg)"),
        ] {
            assert_eq!(normalise(header), expected, "{header}");
        }
    }

    #[test]
    fn export_synonyms_map_to_canonical_fields() {
        for (header, field) in [
            ("Order ID", "order_id"),
            ("Invoice", "order_id"),
            ("Invoice No", "order_id"),
            ("InvoiceNo", "order_id"),
            ("Document No.", "order_id"),
            ("Sales Document", "order_id"),
            ("Order Number", "order_id"),
            ("Material", "sku"),
            ("Item", "sku"),
            ("Item No", "sku"),
            ("Product ID", "sku"),
            ("StockCode", "sku"),
            ("Lineitem sku", "sku"),
            ("Qty", "quantity"),
            ("Quantity", "quantity"),
            ("Order Quantity", "quantity"),
            ("Lineitem quantity", "quantity"),
            ("Quantity (- Refund)", "quantity"),
            ("Sales", "line_revenue"),
            ("Net Amount", "line_revenue"),
            ("Amount", "line_revenue"),
            ("Net Value", "line_revenue"),
            ("Customer", "customer_id"),
            ("Customer ID", "customer_id"),
            ("CustomerID", "customer_id"),
            ("Sold-to", "customer_id"),
            ("Sold-to party", "customer_id"),
            ("Ship Mode", "ship_mode"),
            ("Mode of delivery", "ship_mode"),
            ("Order Date", "order_date"),
            ("InvoiceDate", "order_date"),
            ("Posting Date", "order_date"),
            ("Created at", "order_date"),
            ("Profit", "line_margin"),
            ("Margin", "line_margin"),
            ("COGS", "line_cost"),
            ("Total Cost", "line_cost"),
            ("UnitPrice", "unit_price"),
            ("Price", "unit_price"),
            ("Rate", "unit_price"),
            ("Unit Cost", "unit_cost"),
            ("Weight (kg)", "weight_kg"),
            ("Plant", "warehouse"),
            ("Region", "region"),
            ("Distribution Channel", "channel"),
            ("Requested Delivery Date", "promised_date"),
            ("Delivery Date", "delivered_date"),
            ("Promo", "promo"),
            ("Row ID", "row_id"),
            ("Belegnummer", "order_id"),
            ("Menge", "quantity"),
            ("Kunde", "customer_id"),
            ("Artikel", "sku"),
            ("Datum", "order_date"),
        ] {
            check(header, field);
        }
    }

    #[test]
    fn preferred_synonyms_win_over_later_ones() {
        // SAP: `Item` is the position number; `Material` is the SKU.
        let h = ["Sales Document", "Item", "Material", "Created On", "Order Quantity"];
        assert_eq!(orders_header(&h, "sku").as_deref(), Some("Material"));
        let h = ["Date", "Order Date", "Order ID", "SKU", "Qty"];
        assert_eq!(orders_header(&h, "order_date").as_deref(), Some("Order Date"));
    }

    #[test]
    fn no_synonym_belongs_to_two_fields_of_a_kind() {
        for kind in [FileKind::Orders, FileKind::Products, FileKind::Customers, FileKind::CostPools]
        {
            let mut seen = std::collections::HashMap::new();
            for spec in fields(kind) {
                for s in spec.synonyms {
                    assert_eq!(normalise(s), *s, "{s} is not in normalised form");
                    if let Some(other) = seen.insert(*s, spec.name) {
                        assert_eq!(other, spec.name, "{kind:?}: {s} in {other} and {}", spec.name);
                    }
                }
            }
        }
    }

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|h| h.to_string()).collect()
    }

    fn overrides(list: &[(&str, &str)]) -> Overrides {
        list.iter().map(|(f, h)| (f.to_string(), h.to_string())).collect()
    }

    #[test]
    fn overrides_win_over_synonyms() {
        let h = headers(&["Order ID", "Invoice No", "Date", "SKU", "Qty"]);
        let m =
            map_headers("o.csv", FileKind::Orders, &h, &overrides(&[("order_id", "Invoice No")]))
                .unwrap();
        assert_eq!(m.column("order_id"), Some(1));
        assert_eq!(m.fields[0].matched_by, MatchedBy::Override);
        assert_eq!(m.fields[2].matched_by, MatchedBy::Synonym);
        // A header taken by an override is not given to another field.
        let m =
            map_headers("o.csv", FileKind::Orders, &h, &overrides(&[("sku", "Order ID")])).unwrap();
        assert_eq!((m.column("sku"), m.column("order_id")), (Some(0), Some(1)));
    }

    #[test]
    fn an_empty_override_unmaps_an_optional_field() {
        let h = headers(&["Order ID", "Date", "SKU", "Qty", "Price"]);
        let m =
            map_headers("o.csv", FileKind::Orders, &h, &overrides(&[("unit_price", "")])).unwrap();
        assert_eq!(m.column("unit_price"), None);
        let e = map_headers("o.csv", FileKind::Orders, &h, &overrides(&[("sku", " ")]));
        assert!(matches!(e, Err(IngestError::BadOverride { .. })), "{e:?}");
    }

    #[test]
    fn overrides_match_headers_loosely() {
        let h = headers(&["Beleg", "Date", "SKU", "Qty"]);
        let m = map_headers("o.csv", FileKind::Orders, &h, &overrides(&[("order_id", "beleg ")]))
            .unwrap();
        assert_eq!(m.column("order_id"), Some(0));
    }

    #[test]
    fn bad_overrides_are_errors_naming_the_problem() {
        let h = headers(&["Order ID", "Date", "SKU", "Qty"]);
        for (field, header, problem) in [
            ("order_id", "Invoice No", "not a header"),
            ("ordr_id", "Order ID", "not a field"),
            ("sku", "Order ID", "already mapped"),
        ] {
            let o = overrides(&[("order_id", "Order ID"), (field, header)]);
            match map_headers("o.csv", FileKind::Orders, &h, &o) {
                Err(IngestError::BadOverride { problem: p, field: f, .. }) => {
                    assert!(p.contains(problem), "{p}");
                    assert_eq!(f, field);
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn missing_required_field_is_named_with_the_headers_found() {
        let h = headers(&["Order ID", "Date", "Description", "Qty"]);
        let e = map_headers("orders.csv", FileKind::Orders, &h, &Overrides::new()).unwrap_err();
        assert_eq!(
            e,
            IngestError::MissingField {
                file: "orders.csv".into(),
                field: "sku".into(),
                headers: h.clone()
            }
        );
        let message = e.to_string();
        assert!(message.contains("`sku`") && message.contains("Order ID, Date, Description, Qty"));
    }

    #[test]
    fn every_kind_maps_its_spec_headers() {
        let cases: [(FileKind, &[&str]); 3] = [
            (
                FileKind::Products,
                &[
                    "sku",
                    "description",
                    "category",
                    "unit_cost",
                    "weight_kg",
                    "lead_time_days",
                    "lead_time_sd_days",
                    "moq",
                    "order_multiple",
                    "lifecycle",
                    "perishable",
                    "strategic",
                    "holding_rate",
                    "on_hand",
                    "forecast",
                    "shelf_life_days",
                ],
            ),
            (
                FileKind::Customers,
                &["customer_id", "name", "channel", "region", "strategic", "target_service_level"],
            ),
            (FileKind::CostPools, &["pool", "annual_cost", "driver", "fixed_share"]),
        ];
        for (kind, names) in cases {
            let h = headers(names);
            let m = map_headers("f.csv", kind, &h, &Overrides::new()).unwrap();
            for (i, name) in names.iter().enumerate() {
                assert_eq!(m.column(name), Some(i), "{kind:?} {name}");
            }
        }
    }

    #[test]
    fn long_headers_are_shortened_in_messages() {
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
