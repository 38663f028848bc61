<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>SsmtpInbox</name>
    <message>
        <location filename="../demo-app/ssmtp-inbox/main.cpp" line="+112"/>
        <source>A local catch-all SMTP inbox for development and tests.
Accepts every message for any recipient and stores it, with its envelope, in a folder: DIR/&lt;time&gt;-&lt;n&gt;.eml holds the message octets and the .json next to it the envelope. Nothing is ever relayed or delivered. AUTH PLAIN and LOGIN are offered and any credentials are accepted.</source>
        <translation>Ein lokaler Catch-all-SMTP-Posteingang für Entwicklung und Tests.
Nimmt jede Nachricht an beliebige Empfänger an und speichert sie samt Envelope in einem Ordner: &lt;verzeichnis&gt;/&lt;Zeit&gt;-&lt;n&gt;.eml enthält die Oktette der Nachricht, die .json-Datei daneben den Envelope. Es wird nie etwas weitergeleitet oder zugestellt. AUTH PLAIN und LOGIN werden angeboten, beliebige Zugangsdaten werden akzeptiert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Store messages in &lt;dir&gt; (created if missing).</source>
        <translation>Speichert Nachrichten in &lt;verzeichnis&gt; (wird bei Bedarf angelegt).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>dir</source>
        <translation>verzeichnis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Listen on &lt;port&gt;; 0 picks a free port (default: 2525).</source>
        <translation>Lauscht auf &lt;port&gt;; 0 wählt einen freien Port (Standard: 2525).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>port</source>
        <translation>port</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Listen on &lt;address&gt; (default: 127.0.0.1).</source>
        <translation>Lauscht auf &lt;adresse&gt; (Standard: 127.0.0.1).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>address</source>
        <translation>adresse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write the port to &lt;file&gt; once listening (for scripts).</source>
        <translation>Schreibt den Port in &lt;datei&gt;, sobald der Server lauscht (für Skripte).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>file</source>
        <translation>datei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Do not store messages, only count them (for benchmarks).</source>
        <translation>Speichert keine Nachrichten, sondern zählt sie nur (für Benchmarks).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Advertise and enforce SIZE &lt;bytes&gt;; 0 means no limit (default: 52428800).</source>
        <translation>Kündigt SIZE &lt;bytes&gt; an und setzt die Grenze durch; 0 bedeutet keine Begrenzung (Standard: 52428800).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bytes</source>
        <translation>bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Do not offer CHUNKING (BDAT).</source>
        <translation>Bietet CHUNKING (BDAT) nicht an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Do not advertise PIPELINING.</source>
        <translation>Kündigt PIPELINING nicht an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exit after the first message has been stored.</source>
        <translation>Beendet das Programm, nachdem die erste Nachricht gespeichert wurde.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print nothing but errors.</source>
        <translation>Gibt nur Fehler aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On exit, write {&quot;messages&quot;, &quot;bytes&quot;, &quot;turns&quot;} as JSON to FILE (turns: reply batches sent in answer to client data, i.e. round trips).</source>
        <translation>Schreibt beim Beenden {&quot;messages&quot;, &quot;bytes&quot;, &quot;turns&quot;} als JSON in FILE (turns: als Antwort auf Client-Daten gesendete Antwortblöcke, d. h. Round-Trips).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Speak implicit TLS (SMTPS) with the PEM certificate in FILE.</source>
        <translation>Implizites TLS (SMTPS) mit dem PEM-Zertifikat in FILE sprechen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The PEM private key of --tls-cert.</source>
        <translation>Der private PEM-Schlüssel zu --tls-cert.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>unexpected argument: %1</source>
        <translation>unerwartetes Argument: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>invalid port: %1</source>
        <translation>ungültiger Port: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>invalid size: %1</source>
        <translation>ungültige Größe: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>invalid address: %1</source>
        <translation>ungültige Adresse: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--dir is required (or --discard); see --help</source>
        <translation>--dir ist erforderlich (oder --discard); siehe --help</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cannot create directory %1</source>
        <translation>Verzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot read --tls-cert and --tls-key</source>
        <translation>--tls-cert und --tls-key können nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--tls-cert/--tls-key: no certificate or key found</source>
        <translation>--tls-cert/--tls-key: kein Zertifikat oder Schlüssel gefunden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>cannot install signal handlers</source>
        <translation>Signal-Handler können nicht installiert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot listen on %1:%2: %3</source>
        <translation>Lauschen auf %1:%2 nicht möglich: %3</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ssmtp-inbox: warning: %1 is not a loopback address; anyone who can reach it can drop mail here</source>
        <translation>ssmtp-inbox: Warnung: %1 ist keine Loopback-Adresse; jeder, der sie erreicht, kann hier E-Mails einliefern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ssmtp-inbox: listening on %1:%2, discarding messages</source>
        <translation>ssmtp-inbox: lausche auf %1:%2, Nachrichten werden verworfen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ssmtp-inbox: listening on %1:%2, storing messages in %3</source>
        <translation>ssmtp-inbox: lausche auf %1:%2, Nachrichten werden in %3 gespeichert</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>ssmtp-inbox: cannot store a message: %1</source>
        <translation>ssmtp-inbox: Nachricht kann nicht gespeichert werden: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>ssmtp-inbox: %n message(s) received, %1 bytes</source>
        <translation>
            <numerusform>ssmtp-inbox: %n Nachricht empfangen, %1 Bytes</numerusform>
            <numerusform>ssmtp-inbox: %n Nachrichten empfangen, %1 Bytes</numerusform>
        </translation>
    </message>
</context>
</TS>
