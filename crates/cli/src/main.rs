//! `sportello`: the scriptable front end. Thin: it parses arguments, calls `sportello-app`,
//! prints. Exit 0 on success, 1 when the input or the action is refused, 2 on a usage error.

/// Prints a line on stdout; when the reader has gone (`sportello … | head`), stops quietly.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod login;
mod output;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use sportello_app::{
    Action, AppError, ApplicationFilter, ErrorCode, NewOperator, RankingPaper, Role, Sportello,
    Stage,
};
use sportello_domain::civico::CallEventKind;

#[derive(Parser)]
#[command(
    name = "sportello",
    version,
    about = "Sportello: servizi sociali del distretto"
)]
struct Cli {
    /// File del database (predefinito: SPORTELLO_DB, altrimenti la cartella dati dell'utente)
    #[arg(long, global = true, env = "SPORTELLO_DB", value_name = "FILE")]
    db: Option<PathBuf>,
    /// Nome utente dell'operatore (o SPORTELLO_OPERATOR; la password da SPORTELLO_PASSWORD o
    /// digitata); prima del comando: dopo `audit list` lo stesso nome filtra le voci
    #[arg(long, env = "SPORTELLO_OPERATOR", value_name = "NOME")]
    operator: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Crea il database dell'installazione per un comune del distretto
    Init {
        /// Il file del distretto firmato ricevuto dal capofila (con --fingerprint), oppure il
        /// file .toml del distretto
        #[arg(long, value_name = "FILE")]
        district: PathBuf,
        /// L'impronta che il capofila detta per telefono (per il file firmato)
        #[arg(long, value_name = "IMPRONTA")]
        fingerprint: Option<String>,
        #[arg(long, value_name = "ISTAT")]
        comune: String,
        /// Nome utente del primo operatore (o SPORTELLO_OPERATOR; la password da
        /// SPORTELLO_NEW_PASSWORD o digitata)
        #[arg(long, env = "SPORTELLO_OPERATOR", value_name = "NOME")]
        operator: Option<String>,
        /// Scrive anche il foglio di recupero (PDF con la chiave di recupero) da stampare
        #[arg(long, value_name = "FILE.pdf")]
        recovery_sheet: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Nuova password per un responsabile (o coordinatore) con la chiave di recupero (da
    /// SPORTELLO_RECOVERY_KEY o digitata; la nuova password da SPORTELLO_NEW_PASSWORD o digitata)
    Recover {
        #[arg(long, value_name = "NOME")]
        operator: String,
    },
    /// Backup dell'installazione, cifrati per la chiave di recupero
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Bandi
    #[command(subcommand)]
    Bando(BandoCommand),
    /// Domande (istanze)
    #[command(subcommand)]
    Application(ApplicationCommand),
    /// Graduatoria
    #[command(subcommand)]
    Ranking(RankingCommand),
    /// Servizio civico dopo la graduatoria definitiva: chiamate, risposte, scorrimento
    #[command(subcommand)]
    Civico(CivicoCommand),
    /// Opposizioni alla graduatoria provvisoria
    #[command(subcommand)]
    Objection(ObjectionCommand),
    /// Invio delle prestazioni sociali all'INPS (SIUSS)
    #[command(subcommand)]
    Siuss(SiussCommand),
    /// Monitoraggio del piano: indicatori per periodo
    #[command(subcommand)]
    Monitor(MonitorCommand),
    /// Esporta tabelle per gli uffici (XLSX o CSV)
    #[command(subcommand)]
    Export(ExportCommand),
    /// Mappa dei servizi: catalogo del distretto (capofila) e servizi locali del comune
    #[command(subcommand)]
    Services(ServicesCommand),
    /// Segretariato sociale: contatti (accessi) dello sportello
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Segretariato sociale: istruttorie del back office
    #[command(subcommand)]
    Case(CaseCommand),
    /// Segretariato sociale: esito degli invii ai servizi
    #[command(subcommand)]
    Referral(ReferralCommand),
    /// Segretariato sociale: questionari di soddisfazione (anonimi)
    #[command(subcommand)]
    Satisfaction(SatisfactionCommand),
    /// Statistiche
    #[command(subcommand)]
    Stats(StatsCommand),
    /// Accreditamento degli enti: l'avviso (capofila)
    #[command(subcommand)]
    Accreditation(AccreditationCommand),
    /// Enti accreditati: istanze, valutazioni, registro distrettuale
    #[command(subcommand)]
    Provider(ProviderCommand),
    /// Attestati di accreditamento: verifica senza collegamento
    #[command(subcommand)]
    Certificate(CertificateCommand),
    /// Chiavi dell'installazione
    #[command(subcommand)]
    Key(KeyCommand),
    /// Adesione di un comune al capofila
    #[command(subcommand)]
    Enrol(EnrolCommand),
    /// File firmato del distretto (configurazione, bandi, chiavi)
    #[command(subcommand)]
    District(DistrictCommand),
    /// Pacchetti di sincronizzazione firmati e cifrati
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// Documenti PDF
    #[command(subcommand)]
    Print(PrintCommand),
    /// Dati del registro
    #[command(subcommand)]
    Record(RecordCommand),
    /// Impostazioni dell'installazione e del distretto
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Operatori dell'installazione e loro ruoli
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Registro delle attività (chi, quando, cosa), a catena di impronte
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Scrive un backup (anche con l'installazione in uso) e ne stampa il percorso
    Create {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Controlla che un backup di questa installazione si apra e sia integro (non cambia nulla)
    Verify {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Ripristina un backup in un nuovo database (--db), con la chiave di recupero (da
    /// SPORTELLO_RECOVERY_KEY o digitata)
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Elenca le voci del registro, dalla più vecchia
    List {
        /// Dal giorno (aaaa-mm-gg oppure gg/mm/aaaa), compreso
        #[arg(long, value_name = "DATA")]
        from: Option<String>,
        /// Al giorno (aaaa-mm-gg oppure gg/mm/aaaa), compreso
        #[arg(long, value_name = "DATA")]
        to: Option<String>,
        /// Solo le voci di questo operatore (nome utente)
        #[arg(long = "operator", value_name = "NOME")]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Controlla la catena del registro: nessuna voce alterata, tolta o aggiunta
    Verify {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Aggiunge un operatore (la sua password da SPORTELLO_NEW_PASSWORD o digitata due volte)
    Add {
        username: String,
        #[arg(long, value_name = "operatore|responsabile|coordinatore|revisore")]
        role: String,
        #[arg(long, value_name = "TESTO")]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Elenca gli operatori
    List {
        #[arg(long)]
        json: bool,
    },
    /// Disattiva un operatore: non potrà più accedere
    Disable { username: String },
    /// Cambia la propria password
    Password,
    /// Imposta una nuova password per un altro operatore (e lo riattiva)
    Reset { username: String },
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Mostra comune, distretto e tipi di istruttoria in vigore
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Capofila: stabilisce i tipi di istruttoria da un file TOML con voci [[case_kinds]]
    CaseKinds {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ServicesCommand {
    /// Importa i servizi da un file CSV (colonne id, nome, ente, area, comuni, destinatari,
    /// accesso, documenti, costo, dove, orari, contatti) o TOML ([[service]]): al capofila il
    /// catalogo del distretto, in un comune i suoi servizi locali; tutto o niente, i servizi
    /// assenti dal file restano ma non più in uso
    Import {
        #[arg(value_name = "FILE.csv|FILE.toml")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Elenca i servizi della mappa, quelli in uso prima
    List {
        #[arg(long)]
        json: bool,
    },
    /// Cerca nella mappa per parole (senza badare ad accenti e maiuscole; l'ultima parola può
    /// essere l'inizio di una parola), i più pertinenti prima
    Search {
        #[arg(value_name = "TESTO")]
        text: String,
        /// Area SIUSS: 1 famiglia e minori, 2 disabilità e non autosufficienza, 3 povertà ed
        /// esclusione sociale
        #[arg(long, value_name = "N")]
        area: Option<u8>,
        /// Solo i servizi per questo comune
        #[arg(long, value_name = "ISTAT")]
        comune: Option<String>,
        /// Quanti servizi al massimo (predefinito 50)
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Mostra un servizio
    Show {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Segna un servizio come rivisto oggi (il capofila quelli del distretto, il comune i suoi)
    Review {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Capofila: i servizi senza ente o non rivisti da 12 mesi (o dai mesi del distretto)
    Stale {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RecordCommand {
    /// Capofila: mette da parte un dato illeggibile (tabella/identificativo, come lo nomina
    /// `application list`) e i dati che vi fanno riferimento
    Quarantine {
        #[arg(value_name = "TABELLA/ID")]
        record: String,
        /// Perché (resta nel registro della quarantena)
        #[arg(long, value_name = "TESTO")]
        reason: String,
    },
}

#[derive(Subcommand)]
enum ContactCommand {
    /// Registra contatti da un file JSON (un oggetto o un elenco): tutti o nessuno
    Add {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Elenca i contatti di questo comune, i più recenti per primi
    List {
        /// Dal giorno (aaaa-mm-gg o gg/mm/aaaa)
        #[arg(long, value_name = "DATA")]
        from: Option<String>,
        /// Al giorno
        #[arg(long, value_name = "DATA")]
        to: Option<String>,
        /// Solo i contatti con un'istruttoria in corso
        #[arg(long)]
        open: bool,
        /// Solo i contatti con un'istruttoria scaduta
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
    },
    /// Storia di una persona: contatti, istruttorie in corso, domande ai bandi (lettura
    /// registrata)
    History {
        #[arg(long, value_name = "CODICE")]
        codice_fiscale: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Elenco di lavoro: istruttorie in corso per scadenza, le scadute segnalate
    List {
        /// Anche le istruttorie chiuse
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Chiude un'istruttoria (il numero è quello del contatto) con esito e data
    Close {
        #[arg(value_name = "N")]
        id: i64,
        #[arg(long, value_name = "DATA")]
        date: String,
        /// accolta, respinta, inviata_altro_servizio, ritirata
        #[arg(long, value_name = "ESITO")]
        outcome: String,
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Aggiunge una nota o un passaggio al diario dell'istruttoria
    Note {
        #[arg(value_name = "N")]
        id: i64,
        #[arg(long, value_name = "TESTO")]
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Assegna l'istruttoria a un altro operatore
    Assign {
        #[arg(value_name = "N")]
        id: i64,
        #[arg(long = "operator", value_name = "NOME")]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ReferralCommand {
    /// Registra che il servizio ha preso in carico l'invio del contatto N (con --no, che non
    /// l'ha preso in carico)
    TakenUp {
        #[arg(value_name = "N")]
        id: i64,
        #[arg(long)]
        no: bool,
        /// Il giorno (oggi se omesso)
        #[arg(long, value_name = "DATA")]
        date: Option<String>,
    },
}

#[derive(Subcommand)]
enum SatisfactionCommand {
    /// Registra questionari da un file JSON (un oggetto o un elenco): tutti o nessuno
    Add {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Statistiche del segretariato sociale del periodo (al capofila: del distretto)
    FrontOffice {
        #[arg(long, value_name = "DATA")]
        from: String,
        #[arg(long, value_name = "DATA")]
        to: String,
        /// Un solo comune
        #[arg(long, value_name = "ISTAT")]
        comune: Option<String>,
        /// Scrive anche il CSV per il foglio di calcolo
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PrintCommand {
    /// Scheda di invio di un contatto (chi, a chi, perché, cosa portare)
    Referral {
        #[arg(long, value_name = "N")]
        contact: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Ricevuta di presentazione di una domanda di questo comune
    Receipt {
        #[arg(long, value_name = "CODICE")]
        application: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Graduatoria pubblicata (capofila): pubblica (per l'albo) o riservata
    #[command(group(clap::ArgGroup::new("kind").required(true).args(["public", "internal"])))]
    Ranking {
        #[arg(long)]
        bando: String,
        /// Graduatoria pubblica: solo posizione, codice domanda, punteggio, esito
        #[arg(long)]
        public: bool,
        /// Graduatoria riservata: nomi, codici fiscali, punteggi per criterio
        #[arg(long)]
        internal: bool,
        /// La versione pubblicata da stampare (l'ultima se omessa)
        #[arg(long, value_name = "N")]
        number: Option<i64>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Elenco di liquidazione del servizio civico del mese (PDF, e CSV accanto per la
    /// ragioneria): una volta stampato resta fisso, le variazioni vanno in un elenco integrativo
    Payments {
        /// Il mese, aaaa-mm
        #[arg(long, value_name = "MESE")]
        month: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Progetto individualizzato di un partecipante, da firmare (partecipante, tutor,
    /// responsabile)
    Project {
        #[arg(long, value_name = "CODICE")]
        application: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Lettera di avvio al servizio civico di un partecipante
    Avvio {
        #[arg(long, value_name = "CODICE")]
        application: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Attestato di partecipazione al servizio civico, a servizio finito
    Attestato {
        #[arg(long, value_name = "CODICE")]
        application: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Capofila: un preavviso di rigetto per ogni domanda esclusa nella graduatoria
    /// provvisoria, da consegnare tramite il comune (preavviso-CODICE.pdf)
    Preavviso {
        #[arg(long)]
        bando: String,
        #[arg(long, value_name = "CARTELLA")]
        out: PathBuf,
    },
    /// Scheda informativa di un servizio della mappa, da consegnare al cittadino
    Service {
        #[arg(long, value_name = "ID")]
        id: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Capofila: attestato di accreditamento di un ente iscritto, con codice QR firmato
    Accreditation {
        /// Il numero di registro dell'ente (ACC-aaaa-nnn)
        #[arg(long, value_name = "NUMERO")]
        provider: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Registro distrettuale degli enti accreditati per il sito del distretto (PDF, e CSV
    /// accanto)
    Register {
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: la relazione di monitoraggio di un semestre, o quella finale del piano
    Monitoring {
        /// Il semestre: AAAA-H1 o AAAA-H2
        #[arg(
            long,
            value_name = "SEMESTRE",
            required_unless_present = "plan",
            conflicts_with = "plan"
        )]
        period: Option<String>,
        /// Il piano, dal primo all'ultimo anno: 2025-2027
        #[arg(long, value_name = "ANNI")]
        plan: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Foglio di recupero con la chiave di recupero (da SPORTELLO_RECOVERY_KEY o digitata)
    RecoverySheet {
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Stampa l'impronta delle chiavi di questa installazione (da confermare per telefono)
    Fingerprint {
        #[arg(long)]
        json: bool,
    },
    /// Comune: passa a chiavi nuove; il capofila le riceve firmate dalle vecchie con i
    /// prossimi pacchetti
    Rotate {
        #[arg(long)]
        json: bool,
    },
}

/// Where to write a file: a file path, or a folder for the standard name.
#[derive(Args)]
struct Out {
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// A file that introduces keys, and the fingerprint confirmed by phone or on paper.
#[derive(Args)]
struct Accept {
    file: PathBuf,
    #[arg(long, value_name = "IMPRONTA")]
    fingerprint: String,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum EnrolCommand {
    /// Comune: scrive il file di adesione con le proprie chiavi pubbliche
    Export(Out),
    /// Capofila: accetta l'adesione di un comune dopo averne confermato l'impronta
    Accept(Accept),
    /// Capofila: revoca la chiave di un comune (computer rubato o perso)
    Revoke {
        #[arg(value_name = "ISTAT")]
        comune: String,
        /// Dal pacchetto numero N in poi (predefinito: dal prossimo non ancora importato)
        #[arg(long, value_name = "N")]
        from_seq: Option<u64>,
    },
}

#[derive(Subcommand)]
enum DistrictCommand {
    /// Capofila: scrive il file firmato del distretto
    Export(Out),
    /// Comune: accetta il file del distretto dopo averne confermato l'impronta
    #[command(name = "accept")]
    AcceptFile {
        #[command(flatten)]
        accept: Accept,
        /// Il capofila ha cambiato chiave: sostituire quella registrata (solo dopo aver
        /// confermato per telefono la nuova impronta)
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Scrive i pacchetti dovuti nella cartella indicata; stampa un percorso per riga
    Export {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Importa uno o più pacchetti
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Controlla struttura e firma di un pacchetto e ne mostra l'intestazione (non decifra nulla)
    Inspect {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AccreditationCommand {
    /// L'avviso di accreditamento
    #[command(subcommand)]
    Notice(NoticeCommand),
}

#[derive(Subcommand)]
enum NoticeCommand {
    /// Capofila: importa l'avviso da file TOML (si applica alle nuove istanze)
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// L'avviso in vigore (quello predefinito se nessuno è stato importato)
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ProviderCommand {
    /// Capofila: registra l'istanza di un ente da file JSON (`-` per lo standard input);
    /// stampa il numero dell'istanza
    Apply {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: valutazione della commissione (requisiti e punteggi, JSON); una nuova
    /// valutazione della stessa istanza la corregge, con --reason
    Assess {
        /// Il numero dell'istanza
        id: String,
        file: PathBuf,
        /// Il motivo della correzione di una valutazione precedente
        #[arg(long, value_name = "TESTO")]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: le istanze registrate, con le loro valutazioni
    Applications {
        #[arg(long)]
        json: bool,
    },
    /// Capofila: un'istanza, con le sue valutazioni
    Show {
        /// Il numero dell'istanza
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Coordinatore del capofila: conferma una valutazione, che diventa definitiva e iscrive
    /// l'ente accreditato nel registro
    Confirm {
        /// Il numero della valutazione
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Il registro degli enti accreditati (al capofila e, in sola lettura, nei comuni)
    List {
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        #[arg(long, value_name = "ISTAT")]
        comune: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: cambia lo stato di un'iscrizione (scaduto segue dalla data)
    Status {
        /// Il numero di registro
        register_number: String,
        /// attivo, sospeso o revocato
        #[arg(long, value_name = "STATO")]
        set: String,
        #[arg(long, value_name = "TESTO")]
        reason: String,
        #[arg(long, value_name = "DATA")]
        date: String,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: registra la verifica annuale (DURC, assicurazione, personale)
    Check {
        register_number: String,
        #[arg(long, value_name = "DATA")]
        date: String,
        /// Esito negativo (in mancanza, superata)
        #[arg(long)]
        failed: bool,
        #[arg(long, value_name = "TESTO", default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: un documento rinnovato (JSON {"number", "date", "expires"})
    Document {
        register_number: String,
        /// durc, insurance, cciaa, albo_regionale, albo_cooperative
        kind: String,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CertificateCommand {
    /// Verifica un attestato (il PDF, o il testo del codice QR): esce con 0 solo se valido e
    /// l'ente è accreditato
    #[command(group(clap::ArgGroup::new("what").required(true).args(["file", "qr"])))]
    Verify {
        file: Option<PathBuf>,
        /// Il testo letto dal codice QR
        #[arg(long, value_name = "TESTO")]
        qr: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BandoCommand {
    /// Importa un bando da file TOML
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Elenca i bandi
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ApplicationCommand {
    /// Registra una o più domande da file JSON (oggetto o elenco; `-` per lo standard input)
    Add {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Importa domande da file CSV (tutte o nessuna)
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: domande che condividono persone (stesso codice fiscale o nucleo)
    Duplicates {
        #[arg(long)]
        json: bool,
    },
    /// Elenca le domande
    List {
        #[arg(long)]
        bando: Option<String>,
        #[arg(long, value_name = "ISTAT")]
        comune: Option<String>,
        /// Solo le domande che indicano questa persona (richiedente o componente del nucleo)
        #[arg(long, value_name = "CODICE_FISCALE")]
        person: Option<String>,
        /// Cerca come la finestra: numero di pratica (2026/16), codice domanda, nome o codice
        /// fiscale di una persona del nucleo (maiuscole, accenti, spazi e apostrofi ignorati)
        #[arg(long, value_name = "TESTO")]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mostra una domanda con tutte le sue revisioni e cosa è cambiato in ciascuna
    Show {
        #[arg(value_name = "CODICE")]
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Corregge una domanda di questo comune: una nuova revisione con il motivo
    Correct {
        #[arg(value_name = "CODICE")]
        code: String,
        /// La domanda come deve risultare (JSON come per `application add`; `-` per lo standard input)
        file: PathBuf,
        /// Perché la domanda viene corretta (resta nello storico)
        #[arg(long, value_name = "TESTO")]
        reason: String,
        /// L'opposizione accolta che la correzione applica
        #[arg(long, value_name = "ID")]
        objection: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Registra la rinuncia del richiedente alla domanda: esce dalla prossima graduatoria
    Withdraw {
        #[arg(value_name = "CODICE")]
        code: String,
        /// La data scritta sulla rinuncia firmata (gg/mm/aaaa o aaaa-mm-gg; oggi se omessa)
        #[arg(long, value_name = "DATA")]
        on: Option<String>,
        /// Una nota sulla rinuncia (resta nella storia della domanda)
        #[arg(long, value_name = "TESTO")]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Annulla una rinuncia registrata per errore: la domanda torna in graduatoria
    AnnulWithdrawal {
        #[arg(value_name = "CODICE")]
        code: String,
        /// Perché la rinuncia viene annullata (resta nella storia della domanda)
        #[arg(long, value_name = "TESTO")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum MonitorCommand {
    /// Schede semestrali di monitoraggio delle azioni del piano
    #[command(subcommand)]
    Form(FormCommand),
    /// Gli indicatori del periodo, con il periodo precedente: al comune i propri, al capofila
    /// quelli del distretto (o di un comune con --comune)
    Indicators {
        #[arg(long, value_name = "DATA")]
        from: String,
        #[arg(long, value_name = "DATA")]
        to: String,
        #[arg(long, value_name = "ISTAT")]
        comune: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Gli indicatori di un semestre: al capofila del distretto e di ogni comune, al comune i
    /// propri
    Monitoring {
        /// Il semestre: AAAA-H1 o AAAA-H2
        #[arg(long, value_name = "SEMESTRE")]
        period: String,
        /// Il file da scrivere: .xlsx o .csv
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum FormCommand {
    /// Registra la scheda di un'azione per un semestre (la riscrive finché è aperta; chiusa,
    /// una correzione ne diventa la revisione successiva)
    Add {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Chiude una scheda: da allora si legge soltanto
    Close {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Le schede di questa installazione (al capofila anche quelle dei comuni)
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SiussCommand {
    /// Comune: scrive il flusso SIUSS (XML o CSV) dei compensi del servizio civico liquidati
    /// nei mesi del periodo; invia solo ciò che è nuovo o cambiato dall'ultimo invio
    Export {
        #[arg(long, value_name = "DATA")]
        from: String,
        #[arg(long, value_name = "DATA")]
        to: String,
        /// Il file da scrivere: .xml o .csv
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Il codice che l'INPS ha assegnato al comune (ricordato per gli invii successivi)
        #[arg(long, value_name = "CODICE")]
        ente: Option<String>,
        /// Il codice fiscale dell'operatore che invia (ricordato per gli invii successivi)
        #[arg(long = "operatore-cf", value_name = "CF")]
        operatore_cf: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CivicoCommand {
    /// Le domande del comune chiamate e da chiamare, in ordine di graduatoria
    Calls {
        #[arg(long)]
        bando: String,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: per ogni comune posti, chiamati, in servizio, in attesa
    Overview {
        #[arg(long)]
        bando: String,
        #[arg(long)]
        json: bool,
    },
    /// Registra la chiamata di un richiedente
    Call {
        #[arg(long, value_name = "CODICE")]
        application: String,
        /// Giorno della chiamata (gg/mm/aaaa o aaaa-mm-gg)
        #[arg(long, value_name = "DATA")]
        date: String,
        /// Come è stato chiamato (telefono, PEC, lettera…)
        #[arg(long, value_name = "TESTO")]
        how: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Registra la risposta alla chiamata: accetta, rinuncia o decade (nessuna risposta nei termini)
    #[command(group(clap::ArgGroup::new("risposta").required(true)))]
    Answer {
        #[arg(long, value_name = "CODICE")]
        application: String,
        #[arg(long, group = "risposta")]
        accepts: bool,
        #[arg(long, group = "risposta")]
        renounces: bool,
        #[arg(long, group = "risposta")]
        lapsed: bool,
        #[arg(long, value_name = "DATA")]
        date: String,
        #[arg(long)]
        json: bool,
    },
    /// Registra il progetto individualizzato di chi ha accettato (JSON: settore, sede, tutor,
    /// inizio, fine, ore settimanali, assicurazioni)
    Project {
        #[arg(long, value_name = "CODICE")]
        application: String,
        /// Il progetto in JSON (`-` per lo standard input)
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Presenze dei partecipanti
    #[command(subcommand)]
    Attendance(AttendanceCommand),
    /// Reclami della sede ospitante o dei partecipanti
    #[command(subcommand)]
    Complaint(ComplaintCommand),
    /// Registra la verifica di un partecipante, in itinere o finale (JSON: stage, date,
    /// tasks_done, training, skills, employed_after)
    Check {
        #[arg(long, value_name = "CODICE")]
        application: String,
        /// La verifica in JSON (`-` per lo standard input)
        file: PathBuf,
    },
    /// L'elenco di liquidazione del mese: ore e importo di ogni partecipante
    Payments {
        /// Il mese, aaaa-mm
        #[arg(long, value_name = "MESE")]
        month: String,
        #[arg(long)]
        json: bool,
    },
    /// Registra la fine del servizio: cessazione anticipata, o conclusione con --completed
    End {
        #[arg(long, value_name = "CODICE")]
        application: String,
        #[arg(long, value_name = "DATA")]
        date: String,
        #[arg(long, value_name = "TESTO")]
        reason: String,
        #[arg(long)]
        completed: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ComplaintCommand {
    /// Registra un reclamo su un partecipante; stampa l'identificativo
    Add {
        #[arg(long, value_name = "CODICE")]
        application: String,
        /// Da chi: host (la sede che ospita) o participant (il partecipante)
        #[arg(long, value_parser = ["host", "participant"])]
        from: String,
        #[arg(long, value_name = "TESTO")]
        text: String,
        /// Giorno in cui è arrivato (oggi se omesso)
        #[arg(long, value_name = "DATA")]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Chiude un reclamo con l'esito (come è stato gestito)
    Close {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "TESTO")]
        outcome: String,
    },
    /// Elenca i reclami, i più vecchi prima
    List {
        /// Solo quelli ancora aperti
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AttendanceCommand {
    /// Importa il CSV delle presenze (colonne codice_domanda, data, ore): tutto o niente
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ObjectionCommand {
    /// Registra l'opposizione di un richiedente a una domanda di questo comune; stampa l'id
    Add {
        #[arg(long, value_name = "CODICE")]
        application: String,
        /// Che cosa contesta: un fattore del punteggio (isee, household_size, …) o exclusion
        #[arg(long, value_name = "FATTORE|exclusion")]
        about: String,
        /// Il testo dell'opposizione
        #[arg(long, value_name = "TESTO")]
        text: String,
        /// Responsabile: perché un'opposizione giunta fuori termine è ammessa
        #[arg(long, value_name = "TESTO")]
        late_reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: decide un'opposizione (accolta o respinta) con il motivo
    Decide {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_parser = ["accolta", "respinta"])]
        outcome: String,
        #[arg(long, value_name = "TESTO")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Elenca le opposizioni con la decisione e se è stata applicata
    List {
        #[arg(long)]
        bando: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RankingCommand {
    /// Calcola la graduatoria di un bando
    Compute {
        #[arg(long)]
        bando: String,
        #[arg(long)]
        json: bool,
    },
    /// Pubblica la graduatoria (capofila): ne congela una nuova versione numerata
    Publish {
        #[arg(long)]
        bando: String,
        #[arg(long, value_parser = ["provisional", "definitive"])]
        stage: String,
        /// Conferma le esclusioni dovute a domande di altri comuni, dopo averle verificate
        /// (`ranking conflicts`)
        #[arg(long)]
        confirm_cross_comune: bool,
        #[arg(long)]
        json: bool,
    },
    /// Una versione pubblicata della graduatoria (l'ultima se omessa), come fu pubblicata
    Show {
        #[arg(long)]
        bando: String,
        #[arg(long, value_name = "N")]
        number: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: domande escluse per una domanda presentata prima in un altro comune
    Conflicts {
        #[arg(long)]
        bando: String,
        #[arg(long)]
        json: bool,
    },
    /// Capofila: che cosa cambierebbe pubblicando ora, rispetto all'ultima versione pubblicata
    Changes {
        #[arg(long)]
        bando: String,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = italian_usage(italian(Cli::command(), true))
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(&with_command_hint(e));
            ExitCode::from(1)
        }
    }
}

/// The shared layers say what is wrong; the command line adds the command that fixes it.
fn with_command_hint(e: AppError) -> AppError {
    let hint = match e.code {
        ErrorCode::DbMissing | ErrorCode::DbNotInitialized => {
            "sportello init --district FILE --comune ISTAT (oppure --db per un altro database)"
        }
        ErrorCode::UnknownBando => {
            "al capofila: sportello bando import FILE.toml, poi district export"
        }
        ErrorCode::NoRecipients => "sportello enrol accept FILE --fingerprint IMPRONTA",
        ErrorCode::NoCapofilaKey => "sportello district accept FILE --fingerprint IMPRONTA",
        ErrorCode::ReasonMissing if e.message.contains("valutata") => {
            "sportello provider assess ID FILE.json --reason TESTO"
        }
        ErrorCode::UnknownProvider => "sportello provider list",
        ErrorCode::ObjectionLate => {
            "un responsabile: sportello objection add … --late-reason TESTO"
        }
        ErrorCode::ObjectionsPending | ErrorCode::ObjectionNotAccepted => {
            "sportello objection list --bando ID"
        }
        _ => return e,
    };
    AppError {
        message: format!("{} — {hint}", e.message),
        ..e
    }
}

/// The help in Italian: clap's headings, its help and version flags and its `help` subcommand
/// are English, so they are replaced here, on every subcommand.
fn italian(command: clap::Command, root: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let mut command = command
        .help_template("{before-help}{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Comandi")
        .subcommand_value_name("COMANDO")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|arg| {
            // The environment variables are named in each option's own help, in Italian.
            let arg = arg.hide_env(true);
            let arg = match (arg.get_id().as_str(), arg.get_help()) {
                ("json", None) => arg.help("Stampa il risultato in JSON (solo JSON su stdout)"),
                _ => arg,
            };
            match arg.get_help_heading() {
                Some(_) => arg,
                None if arg.is_positional() => arg.help_heading("Argomenti"),
                None => arg.help_heading("Opzioni"),
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Mostra questo aiuto")
                .help_heading("Opzioni"),
        );
    if root {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Mostra la versione")
                .help_heading("Opzioni"),
        );
    }
    command.mut_subcommands(|sub| italian(sub, false))
}

/// clap writes `[OPTIONS]` in every usage line, of the help and of a usage error: each
/// command's usage, rendered once the whole tree is built (so it names `sportello application
/// list`), with the Italian word.
fn italian_usage(mut command: clap::Command) -> clap::Command {
    command.build();
    localised_usage(command)
}

fn localised_usage(mut command: clap::Command) -> clap::Command {
    let rendered = command.render_usage().to_string();
    let usage = rendered
        .trim()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[OPZIONI]");
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    let mut command = command.override_usage(usage);
    for name in names {
        command = command.mut_subcommand(name, localised_usage);
    }
    command
}

/// Help and version go to stdout; a usage error is said in Italian, with the usage line, and
/// exits 2 (clap's own English text is not shown; a missing command shows the Italian help).
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let what = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!(
                "comando sconosciuto: {}",
                what(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::UnknownArgument => {
            format!("opzione sconosciuta: {}", what(ContextKind::InvalidArg))
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "manca un argomento obbligatorio: {}",
                what(ContextKind::InvalidArg)
            )
        }
        ErrorKind::InvalidValue => format!(
            "valore non ammesso per {}: {} (ammessi: {})",
            what(ContextKind::InvalidArg),
            what(ContextKind::InvalidValue),
            what(ContextKind::ValidValue)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "manca il comando".to_string()
        }
        _ => "uso non corretto del comando".to_string(),
    };
    eprintln!("errore: {message}");
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        eprintln!();
        let _ = e.print();
        return ExitCode::from(2);
    }
    if let Some(usage) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        eprintln!("Uso: {}", usage.trim().trim_start_matches("Usage:").trim());
    }
    eprintln!("(sportello --help elenca comandi e opzioni; COMANDO --help le sue)");
    ExitCode::from(2)
}

fn run(cli: Cli) -> Result<(), AppError> {
    let db = cli
        .db
        .or_else(sportello_app::default_db_path)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NoDataDir,
                "cartella dati dell'utente non trovata: indicare il database con --db FILE",
            )
        })?;
    let who = cli.operator.as_deref();
    match cli.command {
        Command::Init {
            district,
            fingerprint,
            comune,
            operator,
            recovery_sheet,
            json,
        } => {
            let file = if district == Path::new("-") {
                let toml = read(&district)?;
                sportello_app::DistrictFile {
                    district: sportello_domain::District::from_toml(&toml)
                        .map_err(|e| AppError::new(ErrorCode::DistrictInvalid, e.to_string()))?,
                    toml,
                    signed: None,
                }
            } else {
                sportello_app::read_district_file(&district, fingerprint.as_deref())?
            };
            let username = login::username(operator.as_deref().or(who))?;
            let password = login::new_password(&username)?;
            let first = NewOperator {
                username,
                name: None,
                role: Role::Responsabile,
                password,
            };
            let mut app = Sportello::init_from(&db, &file, &comune, &first)?;
            let fingerprint = app.trust().fingerprint()?;
            let recovery = app
                .take_recovery_key()
                .expect("a new install has its recovery key");
            let sheet = recovery_sheet
                .map(|out| app.documents().recovery_sheet(&recovery, &out))
                .transpose()?;
            output::install(
                &app.install_info(),
                app.operator(),
                &fingerprint,
                &recovery,
                sheet.as_deref(),
                json,
            );
        }
        Command::Recover { operator } => {
            let recovery = login::recovery_key()?;
            let password = login::new_password(&operator)?;
            Sportello::recover(&db, &operator, &recovery, &password)?;
            say!("Nuova password impostata per {operator} con la chiave di recupero.");
        }
        Command::Backup(BackupCommand::Create { out, json }) => {
            let mut app = login::open(&db, who)?;
            output::backup_made(&app.backups().create(&out)?, json);
        }
        Command::Backup(BackupCommand::Verify { file, json }) => {
            let mut app = login::open(&db, who)?;
            output::backup_checked(&app.backups().verify(&file)?, json);
        }
        Command::Backup(BackupCommand::Restore { file, json }) => {
            let recovery = login::recovery_key()?;
            output::restored(&sportello_app::restore(&file, &db, &recovery)?, json);
        }
        Command::Accreditation(AccreditationCommand::Notice(NoticeCommand::Import {
            file,
            json,
        })) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            output::notice(&app.accreditation().import_notice(&text)?, json);
        }
        Command::Accreditation(AccreditationCommand::Notice(NoticeCommand::Show { json })) => {
            let mut app = login::open(&db, who)?;
            output::notice(&app.accreditation().notice()?, json);
        }
        Command::Provider(ProviderCommand::Apply { file, json }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            output::provider_applied(&app.accreditation().apply(&text)?, json);
        }
        Command::Provider(ProviderCommand::Assess {
            id,
            file,
            reason,
            json,
        }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            let done = app.accreditation().assess(&id, &text, reason.as_deref())?;
            output::assessment(&done, json);
        }
        Command::Provider(ProviderCommand::Applications { json }) => {
            let mut app = login::open(&db, who)?;
            output::provider_applications(&app.accreditation().applications()?, json);
        }
        Command::Provider(ProviderCommand::Show { id, json }) => {
            let mut app = login::open(&db, who)?;
            output::provider_application(&app.accreditation().application(&id)?, json);
        }
        Command::Provider(ProviderCommand::Confirm { id, json }) => {
            let mut app = login::open(&db, who)?;
            output::assessment(&app.accreditation().confirm(&id)?, json);
        }
        Command::Provider(ProviderCommand::List {
            service,
            comune,
            json,
        }) => {
            let mut app = login::open(&db, who)?;
            let register = app
                .accreditation()
                .register(service.as_deref(), comune.as_deref())?;
            output::register(&register, json);
        }
        Command::Provider(ProviderCommand::Status {
            register_number,
            set,
            reason,
            date,
            json,
        }) => {
            let on = sportello_app::parse_date(&date)?;
            let mut app = login::open(&db, who)?;
            let line = app
                .accreditation()
                .set_status(&register_number, &set, &reason, on)?;
            output::register_line(&line, json);
        }
        Command::Provider(ProviderCommand::Check {
            register_number,
            date,
            failed,
            note,
            json,
        }) => {
            let on = sportello_app::parse_date(&date)?;
            let mut app = login::open(&db, who)?;
            let line = app
                .accreditation()
                .record_check(&register_number, on, !failed, &note)?;
            output::register_line(&line, json);
        }
        Command::Provider(ProviderCommand::Document {
            register_number,
            kind,
            file,
            json,
        }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            let line = app
                .accreditation()
                .renew_document(&register_number, &kind, &text)?;
            output::register_line(&line, json);
        }
        Command::Certificate(CertificateCommand::Verify { file, qr, json }) => {
            let mut app = login::open(&db, who)?;
            let found = match (file, qr) {
                (_, Some(text)) => app.accreditation().verify_text(&text)?,
                (Some(file), None) => app.accreditation().verify_pdf(&file)?,
                (None, None) => unreachable!("clap requires one of the two"),
            };
            output::verification(&found, json);
            if !found.valid_and_active() {
                use std::io::Write as _;
                let _ = std::io::stdout().flush();
                std::process::exit(1);
            }
        }
        Command::Print(PrintCommand::Accreditation { provider, out }) => {
            let mut app = login::open(&db, who)?;
            let path = app.accreditation().print_certificate(&provider, &out)?;
            say!("{}", path.display());
        }
        Command::Print(PrintCommand::Register { out, json }) => {
            let mut app = login::open(&db, who)?;
            output::register_printed(&app.accreditation().print_register(&out)?, json);
        }
        Command::Print(PrintCommand::Monitoring { period, plan, out }) => {
            let mut app = login::open(&db, who)?;
            let mut monitoring = app.monitoring();
            let path = match (period, plan) {
                (Some(period), _) => monitoring.print_report(&period, &out)?,
                (None, Some(plan)) => monitoring.print_plan_report(&plan, &out)?,
                (None, None) => unreachable!("clap requires --period or --plan"),
            };
            say!("{}", path.display());
        }
        Command::Print(PrintCommand::RecoverySheet { out }) => {
            let mut app = login::open(&db, who)?;
            let recovery = login::recovery_key()?;
            let path = app.documents().recovery_sheet(&recovery, &out)?;
            say!("{}", path.display());
        }
        Command::Bando(BandoCommand::Import { file, json }) => {
            let mut app = login::open(&db, who)?;
            output::bando_imported(&app.settings().import_bando(&read(&file)?)?, json);
        }
        Command::Operator(command) => operator(&db, who, command)?,
        Command::Services(command) => services(&db, who, command)?,
        Command::Contact(command) => contact(&db, who, command)?,
        Command::Case(command) => case(&db, who, command)?,
        Command::Referral(ReferralCommand::TakenUp { id, no, date }) => {
            let mut app = login::open(&db, who)?;
            app.front_office()
                .referral_taken_up(id, !no, date.as_deref())?;
            say!(
                "Contatto n. {id}: invio {}.",
                if no {
                    "non preso in carico"
                } else {
                    "preso in carico"
                }
            );
        }
        Command::Satisfaction(SatisfactionCommand::Add { file, json }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            let n = app.front_office().add_satisfaction(&text)?;
            output::satisfaction_added(n, json);
        }
        Command::Stats(StatsCommand::FrontOffice {
            from,
            to,
            comune,
            csv,
            json,
        }) => {
            let mut app = login::open(&db, who)?;
            let stats = app.front_office().stats(&from, &to, comune.as_deref())?;
            if let Some(path) = &csv {
                write_text(path, &sportello_app::stats_csv(&stats))?;
            }
            output::front_office_stats(&stats, json);
        }
        Command::Print(PrintCommand::Referral { contact, out }) => {
            let mut app = login::open(&db, who)?;
            let path = app.front_office().print_referral(contact, &out)?;
            say!("{}", path.display());
        }
        Command::Audit(AuditCommand::List { from, to, by, json }) => {
            let day = |d: Option<String>| d.as_deref().map(sportello_app::parse_date).transpose();
            let query = sportello_app::AuditQuery {
                from: day(from)?,
                to: day(to)?,
                operator: by,
                newest: None,
            };
            let mut app = login::open(&db, who)?;
            output::audit_entries(&app.audit().list(&query)?, json);
        }
        Command::Audit(AuditCommand::Verify { json }) => {
            let mut app = login::open(&db, who)?;
            output::chain_intact(&app.audit().verify()?, json);
        }
        Command::Settings(SettingsCommand::Show { json }) => {
            let mut app = login::open(&db, who)?;
            let info = app.install_info();
            output::settings(&info, &app.settings().case_kinds()?, json);
        }
        Command::Settings(SettingsCommand::CaseKinds { file, json }) => {
            let mut app = login::open(&db, who)?;
            output::case_kinds_saved(&app.settings().set_case_kinds(&read(&file)?)?, json);
        }
        Command::Bando(BandoCommand::List { json }) => {
            let mut app = login::open(&db, who)?;
            output::bandi(&app.settings().bandi()?, json);
        }
        Command::Application(ApplicationCommand::Add { file, json }) => {
            let batch = sportello_app::parse_json_forms(&read(&file)?)?;
            let mut app = login::open(&db, who)?;
            output::filed(
                &app.intake().add_applications(&batch)?,
                batch.is_array,
                json,
            );
        }
        Command::Application(ApplicationCommand::Import { file, json }) => {
            let batch = sportello_app::parse_csv(&read(&file)?)?;
            let mut app = login::open(&db, who)?;
            output::filed(&app.intake().add_applications(&batch)?, true, json);
        }
        Command::Application(ApplicationCommand::List {
            bando,
            comune,
            person,
            search,
            json,
        }) => {
            let mut app = login::open(&db, who)?;
            let filter = ApplicationFilter {
                bando,
                comune,
                person,
            };
            if let Some(text) = search {
                output::applications(&app.intake().search_applications(&filter, &text)?, json);
                return Ok(());
            }
            if !app.operator().role.allows(Action::ReadApplications) {
                output::outcomes(&app.intake().outcomes(&filter)?, json);
                return Ok(());
            }
            let (list, unreadable) = app.intake().applications_listing(&filter)?;
            for u in &unreadable {
                eprintln!(
                    "avviso: dato illeggibile {}: {}; il capofila può metterlo da parte con \
                     `sportello record quarantine {} --reason TESTO`",
                    u.record, u.problem, u.record
                );
            }
            output::applications(&list, json);
        }
        Command::Application(ApplicationCommand::Show { code, json }) => {
            let mut app = login::open(&db, who)?;
            output::application_detail(&app.intake().application_detail(&code)?, json);
        }
        Command::Application(ApplicationCommand::Correct {
            code,
            file,
            reason,
            objection,
            json,
        }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            output::corrected(
                &app.intake()
                    .correct_for_objection(&code, &text, &reason, objection.as_deref())?,
                json,
            );
        }
        Command::Objection(ObjectionCommand::Add {
            application,
            about,
            text,
            late_reason,
            json,
        }) => {
            let mut app = login::open(&db, who)?;
            output::objection(
                &app.objections()
                    .add(&application, &about, &text, late_reason.as_deref())?,
                json,
            );
        }
        Command::Objection(ObjectionCommand::Decide {
            id,
            outcome,
            reason,
            json,
        }) => {
            let mut app = login::open(&db, who)?;
            output::objection(&app.objections().decide(&id, &outcome, &reason)?, json);
        }
        Command::Objection(ObjectionCommand::List { bando, json }) => {
            let mut app = login::open(&db, who)?;
            output::objections(&app.objections().list(bando.as_deref())?, json);
        }
        Command::Print(PrintCommand::Preavviso { bando, out }) => {
            let mut app = login::open(&db, who)?;
            for file in app.documents().preavvisi(&bando, &out)? {
                say!("{}", file.display());
            }
        }
        Command::Application(ApplicationCommand::Withdraw {
            code,
            on,
            note,
            json,
        }) => {
            let on = on.as_deref().map(sportello_app::parse_date).transpose()?;
            let mut app = login::open(&db, who)?;
            output::withdrawal(
                &app.intake()
                    .withdraw_application(&code, on, note.as_deref())?,
                json,
            );
        }
        Command::Application(ApplicationCommand::AnnulWithdrawal { code, reason, json }) => {
            let mut app = login::open(&db, who)?;
            output::withdrawal(&app.intake().annul_withdrawal(&code, &reason)?, json);
        }
        Command::Civico(CivicoCommand::Calls { bando, json }) => {
            let mut app = login::open(&db, who)?;
            output::calls(&app.civico().calls(&bando)?, json);
        }
        Command::Civico(CivicoCommand::Overview { bando, json }) => {
            let mut app = login::open(&db, who)?;
            output::calls_overview(&app.civico().overview(&bando)?, json);
        }
        Command::Civico(CivicoCommand::Call {
            application,
            date,
            how,
            json,
        }) => {
            let on = sportello_app::parse_date(&date)?;
            let mut app = login::open(&db, who)?;
            let done =
                app.civico()
                    .record(&application, CallEventKind::Called, on, how.as_deref())?;
            output::call_recorded(&done, json);
        }
        Command::Civico(CivicoCommand::Answer {
            application,
            accepts,
            renounces,
            lapsed: _,
            date,
            json,
        }) => {
            let kind = if accepts {
                CallEventKind::Accepted
            } else if renounces {
                CallEventKind::Renounced
            } else {
                CallEventKind::Lapsed
            };
            let on = sportello_app::parse_date(&date)?;
            let mut app = login::open(&db, who)?;
            output::call_recorded(&app.civico().record(&application, kind, on, None)?, json);
        }
        Command::Civico(CivicoCommand::Project {
            application,
            file,
            json,
        }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            output::project_saved(&app.civico().set_project(&application, &text)?, json);
        }
        Command::Civico(CivicoCommand::Attendance(AttendanceCommand::Import { file, json })) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            output::attendance_imported(&app.civico().import_attendance(&text)?, json);
        }
        Command::Civico(CivicoCommand::Complaint(ComplaintCommand::Add {
            application,
            from,
            text,
            date,
            json,
        })) => {
            let on = date.as_deref().map(sportello_app::parse_date).transpose()?;
            let mut app = login::open(&db, who)?;
            let id = app.civico().add_complaint(&application, &from, &text, on)?;
            if json {
                say!("{}", serde_json::json!({ "id": id }));
            } else {
                say!("{id}");
            }
        }
        Command::Civico(CivicoCommand::Complaint(ComplaintCommand::Close { id, outcome })) => {
            let mut app = login::open(&db, who)?;
            app.civico().close_complaint(&id, &outcome)?;
            say!("Reclamo {id} chiuso");
        }
        Command::Civico(CivicoCommand::Complaint(ComplaintCommand::List { open, json })) => {
            let mut app = login::open(&db, who)?;
            output::complaints(&app.civico().complaints(open)?, json);
        }
        Command::Civico(CivicoCommand::Check { application, file }) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            app.civico().record_check(&application, &text)?;
            say!("Verifica della domanda {application} registrata");
        }
        Command::Siuss(SiussCommand::Export {
            from,
            to,
            out,
            ente,
            operatore_cf,
            json,
        }) => {
            let from = sportello_app::parse_date(&from)?;
            let to = sportello_app::parse_date(&to)?;
            let mut app = login::open(&db, who)?;
            let done =
                app.siuss()
                    .export(from, to, &out, ente.as_deref(), operatore_cf.as_deref())?;
            output::siuss_exported(&done, json);
        }
        Command::Export(ExportCommand::Monitoring { period, out }) => {
            let mut app = login::open(&db, who)?;
            let rows = app.monitoring().export(&period, &out)?;
            output::monitoring_exported(&out, rows);
        }
        Command::Monitor(MonitorCommand::Form(FormCommand::Add { file, json })) => {
            let text = read(&file)?;
            let mut app = login::open(&db, who)?;
            output::form_saved(&app.monitoring().save_form(&text)?, json);
        }
        Command::Monitor(MonitorCommand::Form(FormCommand::Close { id })) => {
            let mut app = login::open(&db, who)?;
            app.monitoring().close_form(&id)?;
            say!("Scheda {id} chiusa: da ora si legge soltanto.");
        }
        Command::Monitor(MonitorCommand::Form(FormCommand::List { json })) => {
            let mut app = login::open(&db, who)?;
            output::forms(&app.monitoring().forms()?, json);
        }
        Command::Monitor(MonitorCommand::Indicators {
            from,
            to,
            comune,
            json,
        }) => {
            let period = sportello_domain::monitoring::Period {
                from: sportello_app::parse_date(&from)?,
                to: sportello_app::parse_date(&to)?,
            };
            let mut app = login::open(&db, who)?;
            let values = app.monitoring().indicators(period, comune.as_deref())?;
            output::indicators(&values, json);
        }
        Command::Civico(CivicoCommand::Payments { month, json }) => {
            let mut app = login::open(&db, who)?;
            output::payments(&app.civico().payments(&month)?, json);
        }
        Command::Civico(CivicoCommand::End {
            application,
            date,
            reason,
            completed,
            json,
        }) => {
            let kind = if completed {
                CallEventKind::Completed
            } else {
                CallEventKind::Ended
            };
            let on = sportello_app::parse_date(&date)?;
            let mut app = login::open(&db, who)?;
            let done = app.civico().record(&application, kind, on, Some(&reason))?;
            output::call_recorded(&done, json);
        }
        Command::Application(ApplicationCommand::Duplicates { json }) => {
            let mut app = login::open(&db, who)?;
            output::duplicates(&app.intake().duplicates()?, json);
        }
        Command::Key(KeyCommand::Rotate { json }) => {
            let mut app = login::open(&db, who)?;
            let rotated = app.trust().rotate_keys()?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&rotated).expect("views always serialise")
                );
            } else {
                say!(
                    "Chiavi nuove (impronta {}) al posto di {}: il capofila le riceve con il \
                     prossimo pacchetto esportato; fino alla sua risposta i pacchetti restano \
                     firmati con le chiavi precedenti",
                    rotated.new_fingerprint,
                    rotated.old_fingerprint
                );
            }
        }
        Command::Key(KeyCommand::Fingerprint { json }) => {
            let mut app = login::open(&db, who)?;
            output::fingerprint(&app.trust().fingerprint()?, json);
        }
        Command::Enrol(EnrolCommand::Export(Out { out })) => {
            let mut app = login::open(&db, who)?;
            say!("{}", app.trust().enrol_export(&out)?.display());
        }
        Command::Enrol(EnrolCommand::Accept(a)) => {
            let mut app = login::open(&db, who)?;
            output::accepted(&app.trust().enrol_accept(&a.file, &a.fingerprint)?, a.json);
        }
        Command::Enrol(EnrolCommand::Revoke { comune, from_seq }) => {
            let mut app = login::open(&db, who)?;
            let revoked = app.trust().revoke_comune_key(&comune, from_seq)?;
            say!(
                "Chiave del comune {comune} (impronta {}) revocata dal pacchetto n. {}: il comune \
                 deve aderire di nuovo con una nuova chiave",
                revoked.fingerprint,
                revoked.revoked_from_seq
            );
        }
        Command::District(DistrictCommand::Export(Out { out })) => {
            let mut app = login::open(&db, who)?;
            say!("{}", app.trust().district_export(&out)?.display());
        }
        Command::District(DistrictCommand::AcceptFile { accept: a, replace }) => {
            let mut app = login::open(&db, who)?;
            let accepted = app
                .trust()
                .district_accept(&a.file, &a.fingerprint, replace)
                .map_err(|e| match e.code {
                    ErrorCode::CapofilaKeyChanged => AppError {
                        message: format!(
                            "{} (sportello district accept FILE --fingerprint IMPRONTA --replace)",
                            e.message
                        ),
                        ..e
                    },
                    _ => e,
                })?;
            output::accepted(&accepted, a.json);
        }
        Command::Bundle(BundleCommand::Export { out }) => {
            let mut app = login::open(&db, who)?;
            for path in app.exchange().export(&out)? {
                say!("{}", path.display());
            }
        }
        Command::Bundle(BundleCommand::Import { files, json }) => {
            let mut app = login::open(&db, who)?;
            let reports = app.exchange().import(&files)?;
            output::imports(&reports, json);
            let refused = reports.iter().filter(|r| r.error.is_some()).count();
            if refused > 0 {
                return Err(AppError::new(
                    ErrorCode::BundleRefused,
                    format!(
                        "{refused} file su {} non importati; i file rifiutati sono nella cartella quarantena",
                        reports.len()
                    ),
                ));
            }
        }
        Command::Bundle(BundleCommand::Inspect { file, json }) => {
            let mut app = login::open(&db, who)?;
            let inspection = app.exchange().inspect(&file)?;
            output::inspection(&inspection, json);
            if inspection.signature != "valid" {
                return Err(AppError::new(
                    ErrorCode::BadSignature,
                    "la firma del pacchetto non è verificabile con le chiavi fidate di questa installazione",
                ));
            }
        }
        Command::Print(PrintCommand::Payments { month, out, json }) => {
            let mut app = login::open(&db, who)?;
            output::payments_printed(&app.civico().print_payments(&month, &out)?, json);
        }
        Command::Print(PrintCommand::Project { application, out }) => {
            let mut app = login::open(&db, who)?;
            let paper = sportello_app::ProjectPaper::Project;
            let written = app.civico().print_project(&application, paper, &out)?;
            say!("{}", written.display());
        }
        Command::Print(PrintCommand::Avvio { application, out }) => {
            let mut app = login::open(&db, who)?;
            let paper = sportello_app::ProjectPaper::StartLetter;
            let written = app.civico().print_project(&application, paper, &out)?;
            say!("{}", written.display());
        }
        Command::Print(PrintCommand::Attestato { application, out }) => {
            let mut app = login::open(&db, who)?;
            say!(
                "{}",
                app.civico().print_attestato(&application, &out)?.display()
            );
        }
        Command::Print(PrintCommand::Service { id, out }) => {
            let mut app = login::open(&db, who)?;
            say!("{}", app.services().print(&id, &out)?.display());
        }
        Command::Print(PrintCommand::Receipt { application, out }) => {
            let mut app = login::open(&db, who)?;
            say!("{}", app.documents().receipt(&application, &out)?.display());
        }
        Command::Print(PrintCommand::Ranking {
            bando,
            public,
            internal: _,
            number,
            out,
        }) => {
            let mut app = login::open(&db, who)?;
            let paper = if public {
                RankingPaper::Public
            } else {
                RankingPaper::Internal
            };
            say!(
                "{}",
                app.documents()
                    .ranking_version(&bando, number, paper, &out)?
                    .display()
            );
        }
        Command::Record(RecordCommand::Quarantine { record, reason }) => {
            let mut app = login::open(&db, who)?;
            let moved = app.exchange().quarantine_record(&record, &reason)?;
            say!("Messi in quarantena: {moved} dati ({record} e quelli che vi fanno riferimento)");
        }
        Command::Ranking(RankingCommand::Compute { bando, json }) => {
            let mut app = login::open(&db, who)?;
            output::ranking(&app.ranking().compute(&bando)?, json);
        }
        Command::Ranking(RankingCommand::Publish {
            bando,
            stage,
            confirm_cross_comune,
            json,
        }) => {
            let stage = Stage::parse(&stage).expect("clap allows only known stages");
            let mut app = login::open(&db, who)?;
            let published = app
                .ranking()
                .publish(&bando, stage, confirm_cross_comune)
                .map_err(|e| match e.code {
                    ErrorCode::CrossComuneUnconfirmed => AppError {
                        message: format!(
                            "{} (sportello ranking conflicts --bando {bando}; poi ripetere con \
                             --confirm-cross-comune)",
                            e.message
                        ),
                        ..e
                    },
                    _ => e,
                })?;
            output::published(&published, json);
        }
        Command::Ranking(RankingCommand::Show {
            bando,
            number,
            json,
        }) => {
            let mut app = login::open(&db, who)?;
            output::published_version(&app.ranking().version(&bando, number)?, json);
        }
        Command::Ranking(RankingCommand::Conflicts { bando, json }) => {
            let mut app = login::open(&db, who)?;
            let found = app.ranking().cross_comune_exclusions(&bando)?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&found).expect("views always serialise")
                );
            } else {
                for e in &found {
                    say!("{}", output::visible(&e.to_string()));
                }
                say!("Esclusioni tra comuni: {}", found.len());
            }
        }
        Command::Ranking(RankingCommand::Changes { bando, json }) => {
            let mut app = login::open(&db, who)?;
            output::publish_changes(&app.ranking().changes(&bando)?, json);
        }
    }
    Ok(())
}

fn operator(db: &Path, who: Option<&str>, command: OperatorCommand) -> Result<(), AppError> {
    let mut app = login::open(db, who)?;
    match command {
        OperatorCommand::Add {
            username,
            role,
            name,
            json,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                AppError::new(
                    ErrorCode::OperatorInvalid,
                    format!(
                        "ruolo sconosciuto «{role}»: operatore, responsabile, coordinatore o \
                         revisore"
                    ),
                )
            })?;
            let password = login::new_password(&username)?;
            let added = app.operators().add(&NewOperator {
                username,
                name,
                role,
                password,
            })?;
            output::operator_added(&added, json);
        }
        OperatorCommand::List { json } => output::operators(&app.operators().list()?, json),
        OperatorCommand::Disable { username } => {
            app.operators().disable(&username)?;
            say!("Operatore {username} disattivato.");
        }
        OperatorCommand::Password => {
            let username = app.operator().username.clone();
            app.operators()
                .change_password(&login::new_password(&username)?)?;
            say!("Password di {username} cambiata.");
        }
        OperatorCommand::Reset { username } => {
            app.operators()
                .reset_password(&username, &login::new_password(&username)?)?;
            say!("Nuova password impostata per {username}.");
        }
    }
    Ok(())
}

fn services(db: &Path, who: Option<&str>, command: ServicesCommand) -> Result<(), AppError> {
    let mut app = login::open(db, who)?;
    match command {
        ServicesCommand::Import { file, json } => {
            let kind = sportello_app::ServicesFile::of(&file);
            output::services_imported(&app.services().import(&read(&file)?, kind)?, json);
        }
        ServicesCommand::List { json } => output::services(&app.services().list()?, json),
        ServicesCommand::Search {
            text,
            area,
            comune,
            limit,
            json,
        } => output::services(
            &app.services()
                .search(&text, area, comune.as_deref(), limit)?,
            json,
        ),
        ServicesCommand::Show { id, json } => output::service(&app.services().show(&id)?, json),
        ServicesCommand::Review { id } => {
            let entry = app.services().review(&id)?;
            say!(
                "Servizio {} segnato come rivisto il {}.",
                entry.service.id,
                entry.reviewed_on.format("%d/%m/%Y")
            );
        }
        ServicesCommand::Stale { json } => output::stale_services(&app.services().stale()?, json),
    }
    Ok(())
}

fn contact(db: &Path, who: Option<&str>, command: ContactCommand) -> Result<(), AppError> {
    match command {
        ContactCommand::Add { file, json } => {
            let text = read(&file)?;
            let mut app = login::open(db, who)?;
            // One object gives one object back, an array an array (as `application add`).
            let as_array = text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('[');
            output::contacts_added(&app.front_office().add_contacts(&text)?, as_array, json);
        }
        ContactCommand::List {
            from,
            to,
            open,
            overdue,
            json,
        } => {
            let day = |d: Option<String>| d.as_deref().map(sportello_app::parse_date).transpose();
            let (from, to) = (day(from)?, day(to)?);
            let mut app = login::open(db, who)?;
            output::contacts(&app.front_office().contacts(from, to, open, overdue)?, json);
        }
        ContactCommand::History {
            codice_fiscale,
            json,
        } => {
            let mut app = login::open(db, who)?;
            output::history(&app.front_office().history(&codice_fiscale)?, json);
        }
    }
    Ok(())
}

fn case(db: &Path, who: Option<&str>, command: CaseCommand) -> Result<(), AppError> {
    let mut app = login::open(db, who)?;
    let mut office = app.front_office();
    match command {
        CaseCommand::List { all, json } => output::cases(&office.cases(all)?, json),
        CaseCommand::Close {
            id,
            date,
            outcome,
            note,
            json,
        } => output::case(
            &office.close_case(id, &date, &outcome, note.as_deref())?,
            json,
        ),
        CaseCommand::Note { id, text, json } => output::case(&office.note_case(id, &text)?, json),
        CaseCommand::Assign { id, to, json } => output::case(&office.assign_case(id, &to)?, json),
    }
    Ok(())
}

/// Writes a text file the operator named (the statistics' CSV).
fn write_text(path: &Path, text: &str) -> Result<(), AppError> {
    std::fs::write(path, text).map_err(|e| {
        AppError::new(
            ErrorCode::FileWrite,
            format!(
                "impossibile scrivere {}: {}",
                path.display(),
                sportello_app::io_reason(&e)
            ),
        )
    })
}

fn read(path: &Path) -> Result<String, AppError> {
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    }
    .map_err(|e| {
        AppError::new(
            ErrorCode::FileUnreadable,
            format!(
                "impossibile leggere il file {}: {}",
                path.display(),
                sportello_app::io_reason(&e)
            ),
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        AppError::new(
            ErrorCode::FileNotUtf8,
            format!(
                "il file {} non è testo UTF-8: salvarlo come UTF-8 e riprovare",
                path.display()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    /// clap checks the command tree (unique names, argument groups) only when it is built.
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
        super::italian(super::Cli::command(), true).debug_assert();
    }
}
