//! The flow as INPS takes it: the XML of the layout (elements qualified in its namespace,
//! facts as attributes) or a CSV with the same fields, one row per benefit.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use sportello_domain::siuss::{self, Record};

/// The flow's header: who sends it.
pub(super) struct Header<'a> {
    pub flow: &'a str,
    pub ente: &'a str,
    pub ente_name: &'a str,
    pub belfiore: &'a str,
    pub operator_cf: &'a str,
}

/// Each field of a record as the layout names it, in order; `None` for an absent optional one.
fn beneficiary_fields(r: &Record) -> Vec<(&'static str, Option<String>)> {
    let b = &r.beneficiary;
    vec![
        ("CodiceFiscale", Some(b.codice_fiscale.clone())),
        ("Cognome", Some(b.surname.trim().to_string())),
        ("Nome", Some(b.name.trim().to_string())),
        ("AnnoNascita", Some(b.birth_year.to_string())),
        ("LuogoNascita", Some(b.birth_place.clone())),
        ("Genere", Some(b.gender.to_string())),
        ("CodiceCittadinanza", Some(b.citizenship.clone())),
    ]
}

fn address_fields(r: &Record) -> Vec<(&'static str, Option<String>)> {
    let b = &r.beneficiary;
    let italy = b.country == siuss::ITALY;
    vec![
        ("CodiceNazione", Some(b.country.clone())),
        ("CodiceRegione", italy.then(|| b.region.clone())),
        ("CodiceComune", italy.then(|| b.comune.clone())),
    ]
}

fn benefit_fields(r: &Record) -> Vec<(&'static str, Option<String>)> {
    let p = &r.benefit;
    vec![
        ("TipoOperazione", Some(p.operation.code().to_string())),
        ("PresenzaProvaMezzi", Some(p.means_test.to_string())),
        ("CaratterePrestazione", Some(p.character.to_string())),
        ("NumeroProtocolloDSU", p.dsu.protocol.clone()),
        ("AnnoProtocolloDSU", p.dsu.year.map(|y| y.to_string())),
        ("DataDSU", p.dsu.date.map(siuss::date)),
        ("CodicePrestazione", Some(p.code.clone())),
        ("DenominazionePrestazione", Some(p.denomination.clone())),
        ("ProtocolloDomanda", Some(p.application_protocol.clone())),
        ("DataEvento", Some(siuss::date(p.event_date))),
        ("DataInizioPrestazione", Some(siuss::date(p.start))),
        ("DataFinePrestazione", Some(siuss::date(p.end))),
        ("PeriodoErogazione", Some(p.months.to_string())),
        ("ImportoMensile", Some(siuss::amount(p.monthly_amount))),
        ("ImportoSogliaISEE", Some(siuss::amount(p.isee_threshold))),
        ("OreServizioMensile", Some(p.monthly_hours.to_string())),
        ("PresaCarico", Some(p.taken_in_charge.to_string())),
        ("AreaUtenza", Some(p.area.to_string())),
    ]
}

/// Attributes present, in order.
fn present<'a>(fields: &'a [(&'static str, Option<String>)]) -> Vec<(&'static str, &'a str)> {
    fields
        .iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v)))
        .collect()
}

/// The XML flow: one `Beneficiario` per person, with a `PrestazioniSociali` per record.
pub(super) fn xml(header: &Header<'_>, records: &[Record]) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: std::io::Result<()> = (|| {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element("Flusso")
            .with_attribute(("xmlns", siuss::NAMESPACE))
            .write_inner_content(|w| {
                w.create_element("IdentificazioneFlusso")
                    .with_attribute(("Nome", header.flow))
                    .write_inner_content(|w| {
                        w.create_element("Ente")
                            .with_attribute(("Codice", header.ente))
                            .with_attribute(("Denominazione", header.ente_name))
                            .with_attribute(("Indirizzo", header.belfiore))
                            .with_attribute(("CFOperatore", header.operator_cf))
                            .write_empty()?;
                        Ok::<(), std::io::Error>(())
                    })?;
                let mut seen = std::collections::HashSet::new();
                for cf in records
                    .iter()
                    .map(|r| r.beneficiary.codice_fiscale.as_str())
                {
                    if !seen.insert(cf) {
                        continue;
                    }
                    let theirs: Vec<&Record> = records
                        .iter()
                        .filter(|r| r.beneficiary.codice_fiscale == cf)
                        .collect();
                    let first = theirs[0];
                    w.create_element("Beneficiario")
                        .with_attribute(("CodiceFiscale", cf))
                        .write_inner_content(|w| {
                            let anagrafica = beneficiary_fields(first);
                            w.create_element("Anagrafica")
                                .with_attributes(present(&anagrafica[1..]))
                                .write_empty()?;
                            w.create_element("Indirizzo")
                                .with_attributes(present(&address_fields(first)))
                                .write_empty()?;
                            for r in &theirs {
                                w.create_element("PrestazioniSociali")
                                    .with_attributes(present(&benefit_fields(r)))
                                    .write_empty()?;
                            }
                            Ok::<(), std::io::Error>(())
                        })?;
                }
                Ok::<(), std::io::Error>(())
            })?;
        Ok(())
    })();
    written.expect("writing to memory cannot fail");
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

/// The CSV flow: the header's fields, then the person's and the benefit's on each row.
pub(super) fn csv(header: &Header<'_>, records: &[Record]) -> Vec<u8> {
    let head = [
        ("NomeFlusso", header.flow),
        ("CodiceEnte", header.ente),
        ("IndirizzoEnte", header.belfiore),
        ("CFOperatore", header.operator_cf),
    ];
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let mut names: Vec<&str> = head.iter().map(|(k, _)| *k).collect();
    let sample = records.first();
    let fields = |r: &Record| {
        let mut all = beneficiary_fields(r);
        all.extend(address_fields(r));
        all.extend(benefit_fields(r));
        all
    };
    if let Some(r) = sample {
        names.extend(fields(r).iter().map(|(k, _)| *k));
    }
    out.write_record(&names)
        .expect("writing to memory cannot fail");
    for r in records {
        let mut row: Vec<String> = head.iter().map(|(_, v)| v.to_string()).collect();
        row.extend(fields(r).into_iter().map(|(_, v)| v.unwrap_or_default()));
        out.write_record(&row)
            .expect("writing to memory cannot fail");
    }
    out.into_inner().expect("writing to memory cannot fail")
}
