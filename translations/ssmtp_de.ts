<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Ssmtp</name>
    <message>
        <location filename="../src/core/message/addresslist.cpp" line="+143"/>
        <location filename="../src/core/ssmtpconfig.cpp" line="+151"/>
        <location line="+121"/>
        <source>line breaks are not allowed</source>
        <translation>Zeilenumbrüche sind nicht erlaubt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>control characters are not allowed</source>
        <translation>Steuerzeichen sind nicht erlaubt</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>unbalanced &apos;(&apos;: comment not closed</source>
        <translation>&apos;(&apos; ohne Gegenstück: Kommentar nicht geschlossen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unbalanced &apos;)&apos;</source>
        <translation>&apos;)&apos; ohne Gegenstück</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>unterminated quoted string</source>
        <translation>nicht abgeschlossene Zeichenkette in Anführungszeichen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unbalanced &apos;[&apos;</source>
        <translation>&apos;[&apos; ohne Gegenstück</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>invalid domain literal</source>
        <translation>ungültiges Domain-Literal</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unbalanced &apos;]&apos;</source>
        <translation>&apos;]&apos; ohne Gegenstück</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+243"/>
        <source>unexpected &apos;%1&apos;</source>
        <translation>unerwartetes &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="-173"/>
        <source>missing &apos;&gt;&apos;</source>
        <translation>fehlendes &apos;&gt;&apos;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>empty address &apos;&lt;&gt;&apos;</source>
        <translation>leere Adresse &apos;&lt;&gt;&apos;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>groups cannot be nested</source>
        <translation>Gruppen können nicht verschachtelt werden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>group has no name</source>
        <translation>Gruppe hat keinen Namen</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>group not terminated by &apos;;&apos;</source>
        <translation>Gruppe nicht mit &apos;;&apos; abgeschlossen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>unquoted &apos;@&apos; in the display name</source>
        <translation>&apos;@&apos; ohne Anführungszeichen im Anzeigenamen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unquoted &apos;[&apos; in the display name</source>
        <translation>&apos;[&apos; ohne Anführungszeichen im Anzeigenamen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>missing &apos;@&apos;</source>
        <translation>fehlendes &apos;@&apos;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unexpected space inside the address</source>
        <translation>unerwartetes Leerzeichen innerhalb der Adresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unexpected space (missing &apos;,&apos; between addresses?)</source>
        <translation>unerwartetes Leerzeichen (fehlt ein &apos;,&apos; zwischen den Adressen?)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>more than one &apos;@&apos;</source>
        <translation>mehr als ein &apos;@&apos;</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+4"/>
        <source>empty local part</source>
        <translation>leerer lokaler Teil</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>invalid local part</source>
        <translation>ungültiger lokaler Teil</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>misplaced &apos;.&apos; in the local part</source>
        <translation>falsch platzierter &apos;.&apos; im lokalen Teil</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>empty domain</source>
        <translation>leere Domain</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>invalid domain</source>
        <translation>ungültige Domain</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>misplaced &apos;.&apos; in the domain</source>
        <translation>falsch platzierter &apos;.&apos; in der Domain</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>more than one angle address</source>
        <translation>mehr als eine Adresse in spitzen Klammern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unbalanced &apos;&gt;&apos;</source>
        <translation>&apos;&gt;&apos; ohne Gegenstück</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unexpected end of input</source>
        <translation>unerwartetes Ende der Eingabe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unexpected text after the address (missing &apos;,&apos; between addresses?)</source>
        <translation>unerwarteter Text nach der Adresse (fehlt ein &apos;,&apos; zwischen den Adressen?)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Invalid address &quot;%1&quot;: %2</source>
        <translation>Ungültige Adresse „%1“: %2</translation>
    </message>
    <message>
        <location filename="../src/core/message/composer.cpp" line="+68"/>
        <source>The %1 property contains a line break; header values must be one line.</source>
        <translation>Die Eigenschaft %1 enthält einen Zeilenumbruch; Header-Werte müssen einzeilig sein.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The %1 property is not a valid address list: %2</source>
        <translation>Die Eigenschaft %1 ist keine gültige Adressliste: %2</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>MessageIdAlgorithm &quot;%1&quot; is not one of MD5, SHA1, SHA256.</source>
        <translation>MessageIdAlgorithm „%1“ ist weder MD5 noch SHA1 noch SHA256.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The messageId &quot;%1&quot; must be ASCII without spaces.</source>
        <translation>Die messageId „%1“ darf nur ASCII-Zeichen ohne Leerzeichen enthalten.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>otherHeaders sets Content-Type or Content-Transfer-Encoding, but the message has HTML text or attachments, whose structure sets them.</source>
        <translation>otherHeaders setzt Content-Type oder Content-Transfer-Encoding, aber die Nachricht enthält HTML-Text oder Anhänge, deren Struktur diese Header festlegt.</translation>
    </message>
    <message>
        <location line="+63"/>
        <location filename="../src/core/ssmtperrors.cpp" line="+62"/>
        <source>Please specify a sender (From).</source>
        <translation>Bitte geben Sie einen Absender (From) an.</translation>
    </message>
    <message>
        <location line="-193"/>
        <source>The recipient &quot;%1&quot; is not a valid address.</source>
        <translation>Der Empfänger „%1“ ist keine gültige Adresse.</translation>
    </message>
    <message>
        <location line="+224"/>
        <location filename="../src/core/ssmtperrors.cpp" line="+2"/>
        <source>Please specify a recipient.</source>
        <translation>Bitte geben Sie einen Empfänger an.</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>otherHeaders starts with a continuation line: &quot;%1&quot;</source>
        <translation>otherHeaders beginnt mit einer Fortsetzungszeile: „%1“</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>otherHeaders line is not of the form &quot;Field: value&quot;: &quot;%1&quot;</source>
        <translation>Eine Zeile in otherHeaders hat nicht die Form „Feld: Wert“: „%1“</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/bodywriter.cpp" line="+106"/>
        <source>Cannot read the message body: %1</source>
        <translation>Der Nachrichtentext kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The message contains 8-bit data but the server does not support 8BITMIME.</source>
        <translation>Die Nachricht enthält 8-Bit-Daten, aber der Server unterstützt 8BITMIME nicht.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/commandpipeline.cpp" line="+104"/>
        <source>The server sent a reply nobody asked for: %1</source>
        <translation>Der Server hat eine unaufgeforderte Antwort gesendet: %1</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/replyparser.cpp" line="+67"/>
        <location line="+21"/>
        <source>The server sent a line longer than %1 octets.</source>
        <translation>Der Server hat eine Zeile mit mehr als %1 Oktetten gesendet.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server sent a malformed reply: %1</source>
        <translation>Der Server hat eine fehlerhafte Antwort gesendet: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server mixed reply codes %1 and %2 in one reply.</source>
        <translation>Der Server hat in einer Antwort die Antwortcodes %1 und %2 vermischt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server sent a reply larger than %1 octets.</source>
        <translation>Der Server hat eine Antwort mit mehr als %1 Oktetten gesendet.</translation>
    </message>
    <message>
        <location filename="../src/core/queue/queuefile.cpp" line="+56"/>
        <source>Not an Ssmtp queue file (the first line is not &quot;Ssmtp-Queue: 1&quot;).</source>
        <translation>Keine Ssmtp-Warteschlangendatei (die erste Zeile lautet nicht „Ssmtp-Queue: 1“).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The queue file ends inside its envelope block.</source>
        <translation>Die Warteschlangendatei endet innerhalb ihres Envelope-Blocks.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The queue file has a malformed Rcpt-To line.</source>
        <translation>Die Warteschlangendatei enthält eine fehlerhafte Rcpt-To-Zeile.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The queue file has an unknown envelope line: %1</source>
        <translation>Die Warteschlangendatei enthält eine unbekannte Envelope-Zeile: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The queue file has no Mail-From line.</source>
        <translation>Die Warteschlangendatei enthält keine Mail-From-Zeile.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot read the message stream: %1</source>
        <translation>Der Nachrichten-Stream kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The message stream sent no data for %1 seconds.</source>
        <translation>Der Nachrichten-Stream hat %1 Sekunden lang keine Daten geliefert.</translation>
    </message>
    <message>
        <location line="+12"/>
        <location filename="../src/core/ssmtp.cpp" line="+2389"/>
        <source>The queue directory &quot;%1&quot; does not exist.</source>
        <translation>Das Warteschlangenverzeichnis „%1“ existiert nicht.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot create a queue file in &quot;%1&quot;: %2</source>
        <translation>In „%1“ kann keine Warteschlangendatei angelegt werden: %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot write the queue file &quot;%1&quot;: %2</source>
        <translation>Die Warteschlangendatei „%1“ kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../src/core/ssmtp.cpp" line="-1822"/>
        <source>The server rejected the recipient %1: %2</source>
        <translation>Der Server hat den Empfänger %1 abgelehnt: %2</translation>
    </message>
    <message>
        <location line="+183"/>
        <source>The MailServer &quot;%1&quot; is not a valid host name.</source>
        <translation>Der MailServer „%1“ ist kein gültiger Hostname.</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>The open connection is not encrypted, but sslStartMode asks for TLS; disconnect first.</source>
        <translation>Die offene Verbindung ist nicht verschlüsselt, aber sslStartMode verlangt TLS; trennen Sie die Verbindung zuerst.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Sending to a terminal requires AllowExtensions to be true.</source>
        <translation>Das Senden an ein Terminal setzt voraus, dass AllowExtensions auf true gesetzt ist.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The message stream is not open for reading.</source>
        <translation>Der Nachrichten-Stream ist nicht zum Lesen geöffnet.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Skipping %1: it is no longer queued.</source>
        <translation>%1 wird übersprungen: Die Nachricht befindet sich nicht mehr in der Warteschlange.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cannot open the queue file &quot;%1&quot;: %2</source>
        <translation>Die Warteschlangendatei „%1“ kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot read the queue file &quot;%1&quot;: %2</source>
        <translation>Die Warteschlangendatei „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sending queued message %1</source>
        <translation>Sende Nachricht %1 aus der Warteschlange</translation>
    </message>
    <message>
        <location line="+535"/>
        <source>The firewall port %1 is outside 0..65535; the firewall is unchanged.</source>
        <translation>Der Firewall-Port %1 liegt außerhalb von 0..65535; die Firewall bleibt unverändert.</translation>
    </message>
    <message>
        <location line="+420"/>
        <source>The message was signed or encrypted, but the raw message property or a message stream would replace it and be sent unprotected. Clear them, or sign/encrypt the new content.</source>
        <translation>Die Nachricht wurde signiert oder verschlüsselt, aber die Eigenschaft message (Rohnachricht) oder ein Nachrichten-Stream würde sie ersetzen und ungeschützt gesendet. Entfernen Sie diese oder signieren/verschlüsseln Sie den neuen Inhalt.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The recipient certificate cannot be read: %1</source>
        <translation>Das Empfängerzertifikat kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>S/MIME protects messageText, messageHtml and attachments; it cannot sign or encrypt the raw message property or a message stream.</source>
        <translation>S/MIME schützt messageText, messageHtml und Anhänge; die Eigenschaft message (Rohnachricht) und ein Nachrichten-Stream können nicht signiert oder verschlüsselt werden.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Signing needs a certificate with its private key; set the certificate property first.</source>
        <translation>Zum Signieren wird ein Zertifikat mit privatem Schlüssel benötigt; setzen Sie zuerst die Eigenschaft certificate.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Encrypting needs at least one recipient certificate; call addRecipientCert() first.</source>
        <translation>Zum Verschlüsseln wird mindestens ein Empfängerzertifikat benötigt; rufen Sie zuerst addRecipientCert() auf.</translation>
    </message>
    <message>
        <location line="+203"/>
        <source>The command must be one non-empty line without CR or LF.</source>
        <translation>Der Befehl muss aus genau einer nicht leeren Zeile ohne CR oder LF bestehen.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Invalid address &quot;%1&quot;.</source>
        <translation>Ungültige Adresse „%1“.</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>The queue &quot;%1&quot; is being processed by another process.</source>
        <translation>Die Warteschlange „%1“ wird gerade von einem anderen Prozess verarbeitet.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Requeued %1 left by an interrupted run.</source>
        <translation>%1 aus einem unterbrochenen Lauf wurde wieder in die Warteschlange gestellt.</translation>
    </message>
    <message>
        <location filename="../src/core/ssmtpconfig.cpp" line="-94"/>
        <location filename="../src/core/ssmtptlsconfig.cpp" line="+31"/>
        <source>Invalid value &quot;%1&quot; for config setting %2: %3</source>
        <translation>Ungültiger Wert „%1“ für die Konfigurationseinstellung %2: %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <location filename="../src/core/ssmtptlsconfig.cpp" line="+8"/>
        <source>The config setting %1 is read-only.</source>
        <translation>Die Konfigurationseinstellung %1 ist schreibgeschützt.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Unknown config setting &quot;%1&quot;.</source>
        <translation>Unbekannte Konfigurationseinstellung „%1“.</translation>
    </message>
    <message>
        <location line="-114"/>
        <location line="+144"/>
        <location filename="../src/core/ssmtptlsconfig.cpp" line="+15"/>
        <source>expected True, False, 1, 0, Yes or No</source>
        <translation>erwartet wird True, False, 1, 0, Yes oder No</translation>
    </message>
    <message>
        <location line="-134"/>
        <source>expected 0, 1, 2, 3 or 10</source>
        <translation>erwartet wird 0, 1, 2, 3 oder 10</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>expected a number from 0 to 65535</source>
        <translation>erwartet wird eine Zahl von 0 bis 65535</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>expected MD5, SHA1 or SHA256</source>
        <translation>erwartet wird MD5, SHA1 oder SHA256</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>expected FULL or HDRS</source>
        <translation>erwartet wird FULL oder HDRS</translation>
    </message>
    <message>
        <location line="+12"/>
        <location filename="../src/core/ssmtptlsconfig.cpp" line="+44"/>
        <source>expected a whole number</source>
        <translation>erwartet wird eine ganze Zahl</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../src/core/ssmtptlsconfig.cpp" line="-34"/>
        <source>expected a number from %1 to %2</source>
        <translation>erwartet wird eine Zahl von %1 bis %2</translation>
    </message>
    <message>
        <location filename="../src/core/ssmtperrors.cpp" line="-25"/>
        <source>You cannot change the MailPort at this time. A connection is in progress.</source>
        <translation>MailPort kann zurzeit nicht geändert werden. Es besteht eine Verbindung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You cannot change the MailServer at this time. A connection is in progress.</source>
        <translation>MailServer kann zurzeit nicht geändert werden. Es besteht eine Verbindung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Already connected. If you want to reconnect, close the current connection first.</source>
        <translation>Bereits verbunden. Um erneut zu verbinden, schließen Sie zuerst die bestehende Verbindung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You cannot change the LocalPort at this time. A connection is in progress.</source>
        <translation>LocalPort kann zurzeit nicht geändert werden. Es besteht eine Verbindung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You cannot change the LocalHost at this time. A connection is in progress.</source>
        <translation>LocalHost kann zurzeit nicht geändert werden. Es besteht eine Verbindung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You cannot change MaxLineLength at this time. A connection is in progress.</source>
        <translation>MaxLineLength kann zurzeit nicht geändert werden. Es besteht eine Verbindung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>MailPort must be between 1 and 65535.</source>
        <translation>MailPort muss zwischen 1 und 65535 liegen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Please specify a MailServer.</source>
        <translation>Bitte geben Sie einen MailServer an.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Busy executing current method.</source>
        <translation>Die aktuelle Methode wird noch ausgeführt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timeout.</source>
        <translation>Zeitüberschreitung.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action impossible in the component&apos;s present state.</source>
        <translation>Aktion im aktuellen Zustand der Komponente nicht möglich.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Action impossible while not connected.</source>
        <translation>Aktion ohne bestehende Verbindung nicht möglich.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Operation interrupted.</source>
        <translation>Vorgang unterbrochen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection dropped by remote host.</source>
        <translation>Die Verbindung wurde von der Gegenstelle getrennt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error %1.</source>
        <translation>Fehler %1.</translation>
    </message>
    <message>
        <location filename="../src/core/transport/socketoptions.cpp" line="+58"/>
        <source>LocalHost &quot;%1&quot; has no %2 address (UseIPv6 is %3).</source>
        <translation>LocalHost „%1“ hat keine %2-Adresse (UseIPv6 ist %3).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot resolve LocalHost &quot;%1&quot;: %2</source>
        <translation>LocalHost „%1“ kann nicht aufgelöst werden: %2</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Cannot bind to %1 port %2: %3</source>
        <translation>Binden an %1, Port %2 nicht möglich: %3</translation>
    </message>
    <message>
        <location filename="../src/core/certificate/certificatestore.cpp" line="+470"/>
        <source>The certificate store &quot;%1&quot; needs a password.</source>
        <translation>Der Zertifikatspeicher „%1“ erfordert ein Passwort.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wrong password for the certificate store &quot;%1&quot;.</source>
        <translation>Falsches Passwort für den Zertifikatspeicher „%1“.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The certificate store &quot;%1&quot; is not a valid PKCS#12 (PFX) file.</source>
        <translation>Der Zertifikatspeicher „%1“ ist keine gültige PKCS#12-Datei (PFX).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate store &quot;%1&quot; holds neither a PEM private key nor a certificate.</source>
        <translation>Der Zertifikatspeicher „%1“ enthält weder einen privaten PEM-Schlüssel noch ein Zertifikat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate store &quot;%1&quot; holds no PEM or DER certificate.</source>
        <translation>Der Zertifikatspeicher „%1“ enthält kein PEM- oder DER-Zertifikat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate store &quot;%1&quot; is not a valid PKCS#7 file.</source>
        <translation>Der Zertifikatspeicher „%1“ ist keine gültige PKCS#7-Datei.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The certificate store &quot;%1&quot; is not in a known format.</source>
        <translation>Der Zertifikatspeicher „%1“ liegt in keinem bekannten Format vor.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cannot decrypt the certificate store &quot;%1&quot;: it is damaged or uses an unsupported encryption.</source>
        <translation>Der Zertifikatspeicher „%1“ kann nicht entschlüsselt werden: Er ist beschädigt oder verwendet eine nicht unterstützte Verschlüsselung.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The private key in the certificate store &quot;%1&quot; is damaged.</source>
        <translation>Der private Schlüssel im Zertifikatspeicher „%1“ ist beschädigt.</translation>
    </message>
    <message>
        <location line="+35"/>
        <location line="+271"/>
        <source>The certificate store &quot;%1&quot; contains no certificate.</source>
        <translation>Der Zertifikatspeicher „%1“ enthält kein Zertifikat.</translation>
    </message>
    <message>
        <location line="-149"/>
        <source>The certificate store type %1 is not supported on this platform.</source>
        <translation>Der Zertifikatspeichertyp %1 wird auf dieser Plattform nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No certificate store file given.</source>
        <translation>Es wurde keine Zertifikatspeicherdatei angegeben.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot open the certificate store &quot;%1&quot;: %2</source>
        <translation>Der Zertifikatspeicher „%1“ kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+14"/>
        <source>The certificate store &quot;%1&quot; is too large.</source>
        <translation>Der Zertifikatspeicher „%1“ ist zu groß.</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>The certificate store &quot;%1&quot; is empty.</source>
        <translation>Der Zertifikatspeicher „%1“ ist leer.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The thumbprint &quot;%1&quot; is not an MD5, SHA-1 or SHA-256 hex value.</source>
        <translation>Der Fingerabdruck „%1“ ist kein MD5-, SHA-1- oder SHA-256-Hexwert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Unknown certificate configuration setting &quot;%1&quot;.</source>
        <translation>Unbekannte Zertifikat-Konfigurationseinstellung „%1“.</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>No certificate in the certificate store &quot;%1&quot; has the thumbprint &quot;%2&quot;.</source>
        <translation>Kein Zertifikat im Zertifikatspeicher „%1“ hat den Fingerabdruck „%2“.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No certificate in the certificate store &quot;%1&quot; matches the subject &quot;%2&quot;.</source>
        <translation>Kein Zertifikat im Zertifikatspeicher „%1“ passt zum Antragsteller (Subject) „%2“.</translation>
    </message>
    <message>
        <location filename="../src/core/message/mimebodydevice.cpp" line="+109"/>
        <location filename="../src/core/message/mimewriter.cpp" line="+210"/>
        <location line="+66"/>
        <source>Cannot open the attachment file &quot;%1&quot;: %2</source>
        <translation>Die Anhangsdatei „%1“ kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+32"/>
        <location line="+53"/>
        <location line="+45"/>
        <source>The attachment file &quot;%1&quot; changed while the message was being sent.</source>
        <translation>Die Anhangsdatei „%1“ wurde während des Sendens der Nachricht geändert.</translation>
    </message>
    <message>
        <location line="-103"/>
        <location filename="../src/core/message/mimewriter.cpp" line="-56"/>
        <source>Cannot read the attachment file &quot;%1&quot;: %2</source>
        <translation>Die Anhangsdatei „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../src/core/message/mimewriter.cpp" line="+50"/>
        <source>The attachment &quot;%1&quot; is not a regular file.</source>
        <translation>Der Anhang „%1“ ist keine reguläre Datei.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The content type &quot;%1&quot; of the attachment &quot;%2&quot; is not valid.</source>
        <translation>Der Inhaltstyp „%1“ des Anhangs „%2“ ist ungültig.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The content ID &quot;%1&quot; of the attachment &quot;%2&quot; is not valid.</source>
        <translation>Die Content-ID „%1“ des Anhangs „%2“ ist ungültig.</translation>
    </message>
    <message>
        <location filename="../src/core/smime/smime.cpp" line="+34"/>
        <source>unknown OpenSSL error</source>
        <translation>unbekannter OpenSSL-Fehler</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>No signing certificate is set.</source>
        <translation>Es ist kein Signaturzertifikat gesetzt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signing certificate has no private key.</source>
        <translation>Das Signaturzertifikat hat keinen privaten Schlüssel.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unknown signing algorithm &quot;%1&quot;.</source>
        <translation>Unbekannter Signaturalgorithmus „%1“.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The private key does not belong to the signing certificate.</source>
        <translation>Der private Schlüssel gehört nicht zum Signaturzertifikat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+45"/>
        <source>Signing failed: %1</source>
        <translation>Signieren fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+117"/>
        <source>The content to sign or encrypt is too large (%1 bytes).</source>
        <translation>Der zu signierende oder zu verschlüsselnde Inhalt ist zu groß (%1 Byte).</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>No recipient certificates: encrypting needs the certificate of at least one recipient.</source>
        <translation>Keine Empfängerzertifikate: Zum Verschlüsseln wird das Zertifikat mindestens eines Empfängers benötigt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A recipient certificate is empty.</source>
        <translation>Ein Empfängerzertifikat ist leer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+89"/>
        <source>Unknown encrypting algorithm &quot;%1&quot;.</source>
        <translation>Unbekannter Verschlüsselungsalgorithmus „%1“.</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>The encrypting algorithm %1 needs OpenSSL&apos;s legacy provider, which is not available: %2</source>
        <translation>Der Verschlüsselungsalgorithmus %1 benötigt den Legacy-Provider von OpenSSL, der nicht verfügbar ist: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The encrypting algorithm %1 is not available: %2</source>
        <translation>Der Verschlüsselungsalgorithmus %1 ist nicht verfügbar: %2</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The encrypting algorithm %1 cannot be used for recipients with elliptic-curve certificates: its key is shorter than 128 bits. Choose 3DES or AES.</source>
        <translation>Der Verschlüsselungsalgorithmus %1 kann nicht für Empfänger mit Zertifikaten auf Basis elliptischer Kurven verwendet werden: Sein Schlüssel ist kürzer als 128 Bit. Wählen Sie 3DES oder AES.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Encrypting failed: %1</source>
        <translation>Verschlüsseln fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../src/core/smime/smimecanonical.cpp" line="+558"/>
        <source>The content to sign or encrypt is empty.</source>
        <translation>Der zu signierende oder zu verschlüsselnde Inhalt ist leer.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The content to sign or encrypt is not a MIME entity: line %1 is neither a header field nor the empty line before the body.</source>
        <translation>Der zu signierende oder zu verschlüsselnde Inhalt ist keine MIME-Entität: Zeile %1 ist weder ein Header-Feld noch die Leerzeile vor dem Nachrichtentext.</translation>
    </message>
    <message>
        <location filename="../src/core/ssmtpcertificate.cpp" line="+201"/>
        <source>The certificate data is not a valid PEM, DER or base64 certificate.</source>
        <translation>Die Zertifikatsdaten sind kein gültiges PEM-, DER- oder base64-Zertifikat.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslcrammd5.cpp" line="+12"/>
        <source>The server sent an invalid CRAM-MD5 challenge.</source>
        <translation>Der Server hat eine ungültige CRAM-MD5-Challenge gesendet.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/sasldigestmd5.cpp" line="+159"/>
        <source>The server sent a malformed DIGEST-MD5 challenge.</source>
        <translation>Der Server hat eine fehlerhafte DIGEST-MD5-Challenge gesendet.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The server&apos;s DIGEST-MD5 requires a security layer (qop=%1), which this client does not support.</source>
        <translation>Der Server verlangt bei DIGEST-MD5 eine Sicherheitsschicht (qop=%1), die dieser Client nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The user name or password has characters the server&apos;s DIGEST-MD5 cannot take (it does not offer UTF-8).</source>
        <translation>Benutzername oder Passwort enthalten Zeichen, die der Server bei DIGEST-MD5 nicht annehmen kann (er bietet kein UTF-8 an).</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>The server&apos;s DIGEST-MD5 proof (rspauth) is wrong: it does not know the password (possibly an impostor). Not continuing.</source>
        <translation>Der DIGEST-MD5-Nachweis (rspauth) des Servers ist falsch: Der Server kennt das Passwort nicht (möglicherweise ein gefälschter Server). Der Vorgang wird abgebrochen.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslgssapi.cpp" line="+122"/>
        <source>Kerberos (GSSAPI) authentication needs the mail server&apos;s host name for the service principal smtp@&lt;host&gt;, but none is set.</source>
        <translation>Die Authentifizierung über Kerberos (GSSAPI) benötigt den Hostnamen des Mailservers für den Dienst-Principal smtp@&lt;host&gt;, es ist jedoch keiner gesetzt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Kerberos (GSSAPI): the service name %1 is not valid: %2</source>
        <translation>Kerberos (GSSAPI): Der Dienstname %1 ist ungültig: %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Kerberos (GSSAPI): there is no usable ticket (%1), and getting one for %2 with the password failed: %3</source>
        <translation>Kerberos (GSSAPI): Es gibt kein verwendbares Ticket (%1), und das Anfordern eines Tickets für %2 mit dem Passwort ist fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Kerberos (GSSAPI): there is no usable Kerberos ticket. Get one with kinit (or set User and Password to get one here): %1</source>
        <translation>Kerberos (GSSAPI): Es gibt kein verwendbares Kerberos-Ticket. Fordern Sie eines mit kinit an (oder setzen Sie User und Password, damit hier eines angefordert wird): %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kerberos (GSSAPI) authentication to %1 failed: %2</source>
        <translation>Die Authentifizierung über Kerberos (GSSAPI) bei %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Kerberos (GSSAPI): the server&apos;s security layer message cannot be verified: %1</source>
        <translation>Kerberos (GSSAPI): Die Nachricht des Servers zur Sicherheitsschicht kann nicht überprüft werden: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Kerberos (GSSAPI): the answer to the server&apos;s security layer message cannot be made: %1</source>
        <translation>Kerberos (GSSAPI): Die Antwort auf die Nachricht des Servers zur Sicherheitsschicht kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Kerberos (GSSAPI): the server sent a challenge before the client&apos;s first token.</source>
        <translation>Kerberos (GSSAPI): Der Server hat vor dem ersten Token des Clients eine Challenge gesendet.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Kerberos (GSSAPI): the server sent another challenge after the authentication was complete.</source>
        <translation>Kerberos (GSSAPI): Der Server hat nach abgeschlossener Authentifizierung eine weitere Challenge gesendet.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslgssapisecuritylayer.cpp" line="+12"/>
        <source>The server&apos;s GSSAPI security layer message has %1 octets instead of 4.</source>
        <translation>Die GSSAPI-Nachricht des Servers zur Sicherheitsschicht hat %1 Oktette statt 4.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server requires a GSSAPI security layer (integrity or encryption inside the SMTP session), which is not supported. Use TLS instead.</source>
        <translation>Der Server verlangt eine GSSAPI-Sicherheitsschicht (Integritätsschutz oder Verschlüsselung innerhalb der SMTP-Sitzung), die nicht unterstützt wird. Verwenden Sie stattdessen TLS.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslntlm.cpp" line="+243"/>
        <source>The server sent a malformed NTLM challenge message.</source>
        <translation>Der Server hat eine fehlerhafte NTLM-Challenge-Nachricht gesendet.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>NTLMv1 needs single DES, which OpenSSL&apos;s legacy provider does not provide here (%1). Use NTLMv2 (config setting UseNTLMv2=true).</source>
        <translation>NTLMv1 benötigt einfaches DES, das der Legacy-Provider von OpenSSL hier nicht bereitstellt (%1). Verwenden Sie NTLMv2 (Konfigurationseinstellung UseNTLMv2=true).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The NTLM user name, domain or server data is too long.</source>
        <translation>Benutzername, Domain oder Serverdaten für NTLM sind zu lang.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslscram.cpp" line="+72"/>
        <source>SCRAM-SHA-256: the server sent a challenge before the client&apos;s first message.</source>
        <translation>SCRAM-SHA-256: Der Server hat eine Challenge vor der ersten Nachricht des Clients gesendet.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The server sent a malformed SCRAM-SHA-256 message.</source>
        <translation>Der Server hat eine fehlerhafte SCRAM-SHA-256-Nachricht gesendet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server requires a SCRAM extension this client does not support.</source>
        <translation>Der Server verlangt eine SCRAM-Erweiterung, die dieser Client nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server&apos;s SCRAM nonce does not extend the client&apos;s nonce.</source>
        <translation>Die SCRAM-Nonce des Servers ist keine Erweiterung der Nonce des Clients.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server asked for an unacceptable SCRAM iteration count (%1).</source>
        <translation>Der Server hat eine unannehmbare SCRAM-Iterationszahl (%1) verlangt.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The server refused the login: %1</source>
        <translation>Der Server hat die Anmeldung abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server&apos;s SCRAM signature is wrong: it does not know the password (possibly an impostor). Not continuing.</source>
        <translation>Die SCRAM-Signatur des Servers ist falsch: Der Server kennt das Passwort nicht (möglicherweise ein gefälschter Server). Der Vorgang wird abgebrochen.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslselection.cpp" line="+23"/>
        <source>APOP is a POP3 login command; it has no SMTP form. Choose another authentication mechanism.</source>
        <translation>APOP ist ein Anmeldebefehl von POP3 und hat keine SMTP-Entsprechung. Wählen Sie einen anderen Authentifizierungsmechanismus.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The authentication mechanism %1 is not supported by this version.</source>
        <translation>Der Authentifizierungsmechanismus %1 wird von dieser Version nicht unterstützt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server does not offer the authentication mechanism %1; it offers: %2</source>
        <translation>Der Server bietet den Authentifizierungsmechanismus %1 nicht an; angeboten werden: %2</translation>
    </message>
    <message>
        <location filename="../src/core/ssmtptls.cpp" line="+217"/>
        <source>OpenSSLCAFile: no certificate could be read from %1.</source>
        <translation>OpenSSLCAFile: Aus %1 konnte kein Zertifikat gelesen werden.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OpenSSLCADir: no certificate could be read from %1.</source>
        <translation>OpenSSLCADir: Aus %1 konnte kein Zertifikat gelesen werden.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The TLS client certificate cannot be used: %1</source>
        <translation>Das TLS-Client-Zertifikat kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The TLS client certificate (sslCert) has no private key.</source>
        <translation>Das TLS-Client-Zertifikat (sslCert) hat keinen privaten Schlüssel.</translation>
    </message>
    <message>
        <location filename="../src/core/ssmtptlsconfig.cpp" line="+19"/>
        <source>expected PEM-encoded certificates</source>
        <translation>erwartet werden PEM-kodierte Zertifikate</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>TLS 1.2 (3072) or TLS 1.3 (12288) must be enabled; older protocols are not supported</source>
        <translation>TLS 1.2 (3072) oder TLS 1.3 (12288) muss aktiviert sein; ältere Protokolle werden nicht unterstützt</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>unknown cipher suite %1</source>
        <translation>unbekannte Cipher-Suite %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>no such directory</source>
        <translation>Verzeichnis nicht vorhanden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such file</source>
        <translation>Datei nicht vorhanden</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>unknown name %1</source>
        <translation>unbekannter Name %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>expected a number, hexadecimal with 0x (e.g. 0x80000000)</source>
        <translation>erwartet wird eine Zahl, hexadezimal mit 0x (z. B. 0x80000000)</translation>
    </message>
    <message>
        <location filename="../src/core/transport/httpconnect.cpp" line="+67"/>
        <source>its answer is not an HTTP response</source>
        <translation>ihre Antwort ist keine HTTP-Antwort</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>its response header is longer than %1 bytes</source>
        <translation>ihr Antwort-Header ist länger als %1 Byte</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>malformed status line &quot;%1&quot;</source>
        <translation>fehlerhafte Statuszeile „%1“</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&quot;%1&quot; is not a header line of the form &quot;Name: value&quot;</source>
        <translation>„%1“ ist keine Header-Zeile der Form „Name: Wert“</translation>
    </message>
    <message>
        <location filename="../src/core/transport/socks4.cpp" line="+45"/>
        <source>reply version %1 instead of 0</source>
        <translation>Antwortversion %1 statt 0</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>request granted</source>
        <translation>Anfrage genehmigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>request rejected or failed</source>
        <translation>Anfrage abgelehnt oder fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>request rejected because the proxy cannot reach identd on the client</source>
        <translation>Anfrage abgelehnt, da der Proxy identd auf dem Client nicht erreichen kann</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>request rejected because identd reports a different user id</source>
        <translation>Anfrage abgelehnt, da identd eine andere Benutzerkennung meldet</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../src/core/transport/socks5.cpp" line="+209"/>
        <source>unknown reply code</source>
        <translation>unbekannter Antwortcode</translation>
    </message>
    <message>
        <location filename="../src/core/transport/socks5.cpp" line="-148"/>
        <location line="+84"/>
        <source>reply version %1 instead of 5</source>
        <translation>Antwortversion %1 statt 5</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>it accepts neither no authentication nor user name/password</source>
        <translation>sie akzeptiert weder „keine Authentifizierung“ noch Benutzername/Passwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it requires authentication; set the firewall&apos;s user and password</source>
        <translation>sie verlangt eine Authentifizierung; setzen Sie Benutzer und Passwort der Firewall</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it chose authentication method %1, which was not offered</source>
        <translation>sie hat die Authentifizierungsmethode %1 gewählt, die nicht angeboten wurde</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>it did not accept the user name and password</source>
        <translation>sie hat Benutzername und Passwort nicht akzeptiert</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>unknown address type %1 in its reply</source>
        <translation>unbekannter Adresstyp %1 in ihrer Antwort</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>general SOCKS server failure</source>
        <translation>allgemeiner Fehler des SOCKS-Servers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>connection not allowed by ruleset</source>
        <translation>Verbindung durch Regelwerk nicht erlaubt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>network unreachable</source>
        <translation>Netzwerk nicht erreichbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>host unreachable</source>
        <translation>Host nicht erreichbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TTL expired</source>
        <translation>TTL abgelaufen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>command not supported</source>
        <translation>Befehl nicht unterstützt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>address type not supported</source>
        <translation>Adresstyp nicht unterstützt</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/sasl/saslbearer.cpp" line="+13"/>
        <source>%1 needs an OAuth access token in the AuthorizationIdentity config setting (or in Password).</source>
        <translation>%1 benötigt ein OAuth-Zugriffstoken in der Konfigurationseinstellung AuthorizationIdentity (oder in Password).</translation>
    </message>
</context>
<context>
    <name>ssmtp::protocol::SmtpSession</name>
    <message>
        <location filename="../src/core/protocol/smtpsession.cpp" line="+215"/>
        <source>Timeout: the server did not answer within %1 seconds.</source>
        <translation>Zeitüberschreitung: Der Server hat nicht innerhalb von %1 Sekunden geantwortet.</translation>
    </message>
    <message>
        <location line="+118"/>
        <location line="+40"/>
        <source>The server closed the connection during the TLS handshake.</source>
        <translation>Der Server hat die Verbindung während des TLS-Handshakes geschlossen.</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+44"/>
        <location line="+4"/>
        <source>Connection dropped by remote host.</source>
        <translation>Die Verbindung wurde von der Gegenstelle getrennt.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>TLS is not available: Qt found no usable TLS library (OpenSSL 3).</source>
        <translation>TLS ist nicht verfügbar: Qt hat keine verwendbare TLS-Bibliothek (OpenSSL 3) gefunden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The TLS client certificate (sslCert) has no private key.</source>
        <translation>Das TLS-Client-Zertifikat (sslCert) hat keinen privaten Schlüssel.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Connecting to %1:%2</source>
        <translation>Verbinde mit %1:%2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The server refused the connection: %1</source>
        <translation>Der Server hat die Verbindung abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The server does not support EHLO; falling back to HELO.</source>
        <translation>Der Server unterstützt EHLO nicht; es wird HELO verwendet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server rejected the greeting: %1</source>
        <translation>Der Server hat die Begrüßung abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/smtpsessiontls.cpp" line="+23"/>
        <source>The server does not offer STARTTLS; refusing to continue without TLS (sslStartMode is explicit).</source>
        <translation>Der Server bietet STARTTLS nicht an; ohne TLS wird nicht fortgefahren (sslStartMode ist explicit).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server refused STARTTLS (%1); refusing to continue without TLS.</source>
        <translation>Der Server hat STARTTLS abgelehnt (%1); ohne TLS wird nicht fortgefahren.</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>The server sent %n byte(s) after its STARTTLS reply, before the TLS handshake (possible response injection); the connection was closed.</source>
        <translation>
            <numerusform>Der Server hat nach seiner STARTTLS-Antwort und vor dem TLS-Handshake %n Byte gesendet (mögliche Response-Injection); die Verbindung wurde geschlossen.</numerusform>
            <numerusform>Der Server hat nach seiner STARTTLS-Antwort und vor dem TLS-Handshake %n Bytes gesendet (mögliche Response-Injection); die Verbindung wurde geschlossen.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Starting the TLS handshake with %1.</source>
        <translation>Starte den TLS-Handshake mit %1.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The server certificate is the one set in sslAcceptServerCert; accepted despite: %1</source>
        <translation>Das Serverzertifikat ist das in sslAcceptServerCert festgelegte; trotz folgender Probleme akzeptiert: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The server certificate was accepted by the application.</source>
        <translation>Das Serverzertifikat wurde von der Anwendung akzeptiert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server certificate was not accepted: %1</source>
        <translation>Das Serverzertifikat wurde nicht akzeptiert: %1</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>TLS established: %1, cipher %2 (%3 bits).</source>
        <translation>TLS-Verbindung hergestellt: %1, Cipher-Suite %2 (%3 Bit).</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/smtpsessionauth.cpp" line="+18"/>
        <source>Refusing to send credentials over an unencrypted connection. Use TLS, or set the config setting AllowInsecureAuth=true to allow it.</source>
        <translation>Zugangsdaten werden nicht über eine unverschlüsselte Verbindung gesendet. Verwenden Sie TLS oder erlauben Sie dies mit der Konfigurationseinstellung AllowInsecureAuth=true.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A user name is set but the server does not offer authentication (AUTH).</source>
        <translation>Ein Benutzername ist gesetzt, aber der Server bietet keine Authentifizierung (AUTH) an.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The authentication mechanism %1 is not available in this build.</source>
        <translation>Der Authentifizierungsmechanismus %1 ist in diesem Build nicht verfügbar.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+35"/>
        <location line="+20"/>
        <source>Authentication failed: %1</source>
        <translation>Authentifizierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Authentication failed: the server reported success without proving that it knows the credentials (%1).</source>
        <translation>Authentifizierung fehlgeschlagen: Der Server hat Erfolg gemeldet, ohne nachzuweisen, dass er die Zugangsdaten kennt (%1).</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The server sent an unexpected challenge.</source>
        <translation>Der Server hat eine unerwartete Challenge gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server sent a challenge that is not base64.</source>
        <translation>Der Server hat eine Challenge gesendet, die nicht base64-kodiert ist.</translation>
    </message>
    <message>
        <location filename="../src/core/protocol/smtpsession.cpp" line="+60"/>
        <location line="+319"/>
        <source>Action impossible while not connected.</source>
        <translation>Aktion ohne bestehende Verbindung nicht möglich.</translation>
    </message>
    <message>
        <location line="-307"/>
        <source>The message (%1 octets) is larger than the server accepts (%2 octets).</source>
        <translation>Die Nachricht (%1 Oktette) ist größer, als der Server annimmt (%2 Oktette).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>An address contains non-ASCII characters but the server does not support SMTPUTF8.</source>
        <translation>Eine Adresse enthält Nicht-ASCII-Zeichen, aber der Server unterstützt SMTPUTF8 nicht.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The message contains 8-bit data but the server does not support 8BITMIME.</source>
        <translation>Die Nachricht enthält 8-Bit-Daten, aber der Server unterstützt 8BITMIME nicht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Please specify a recipient.</source>
        <translation>Bitte geben Sie einen Empfänger an.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The server does not support DSN; RET and ENVID are not sent.</source>
        <translation>Der Server unterstützt DSN nicht; RET und ENVID werden nicht gesendet.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>The server rejected the sender: %1</source>
        <translation>Der Server hat den Absender abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>The server does not support DSN; NOTIFY and ORCPT are not sent.</source>
        <translation>Der Server unterstützt DSN nicht; NOTIFY und ORCPT werden nicht gesendet.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server rejected the recipient %1: %2</source>
        <translation>Der Server hat den Empfänger %1 abgelehnt: %2</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+58"/>
        <source>The server accepted none of the recipients.</source>
        <translation>Der Server hat keinen der Empfänger angenommen.</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+26"/>
        <source>The server refused the message data: %1</source>
        <translation>Der Server hat die Nachrichtendaten abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The server refused the message: %1</source>
        <translation>Der Server hat die Nachricht abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>ssmtp::transport::Connector</name>
    <message>
        <location filename="../src/core/transport/connector.cpp" line="+103"/>
        <source>Unknown firewall type %1.</source>
        <translation>Unbekannter Firewall-Typ %1.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A SOCKS4 firewall can only reach IPv4 addresses, not %1; use SOCKS5.</source>
        <translation>Eine SOCKS4-Firewall kann nur IPv4-Adressen erreichen, nicht %1; verwenden Sie SOCKS5.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The mail server %1 was not found: %2</source>
        <translation>Der Mailserver %1 wurde nicht gefunden: %2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The mail server %1 has no IPv4 address, and a SOCKS4 firewall can only reach IPv4 addresses; use SOCKS4A or SOCKS5, or write the mail server as &quot;*%1&quot; to let the firewall resolve the name.</source>
        <translation>Der Mailserver %1 hat keine IPv4-Adresse, und eine SOCKS4-Firewall kann nur IPv4-Adressen erreichen; verwenden Sie SOCKS4A oder SOCKS5, oder geben Sie den Mailserver als „*%1“ an, damit die Firewall den Namen auflöst.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The mail server %1 has no address of the IP version the UseIPv6 setting asks for.</source>
        <translation>Der Mailserver %1 hat keine Adresse der IP-Version, die die Einstellung UseIPv6 verlangt.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>The mail server&apos;s name or the firewall&apos;s user cannot be sent to a %1 firewall (empty, too long, or containing blanks or control characters).</source>
        <translation>Der Name des Mailservers oder der Benutzer der Firewall kann nicht an eine %1-Firewall gesendet werden (leer, zu lang oder mit Leer- oder Steuerzeichen).</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The firewall %1 broke the %2 protocol: %3.</source>
        <translation>Die Firewall %1 hat das Protokoll %2 verletzt: %3.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The SOCKS4 firewall %1 refused the connection to %2: %3 (code %4).</source>
        <translation>Die SOCKS4-Firewall %1 hat die Verbindung zu %2 abgelehnt: %3 (Code %4).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The SOCKS5 firewall %1 could not connect to %2: %3 (code %4).</source>
        <translation>Die SOCKS5-Firewall %1 konnte keine Verbindung zu %2 herstellen: %3 (Code %4).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The HTTP proxy %1 refused the tunnel to %2: %3.</source>
        <translation>Der HTTP-Proxy %1 hat den Tunnel zu %2 abgelehnt: %3.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It requires authentication: set the firewall&apos;s user and password.</source>
        <translation>Er verlangt eine Authentifizierung: Setzen Sie Benutzer und Passwort der Firewall.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It did not accept the firewall&apos;s user name and password.</source>
        <translation>Er hat Benutzername und Passwort der Firewall nicht akzeptiert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The SOCKS5 firewall %1 refused the connection: %2.</source>
        <translation>Die SOCKS5-Firewall %1 hat die Verbindung abgelehnt: %2.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The firewall&apos;s user name and password must each be at most 255 bytes long for SOCKS5.</source>
        <translation>Benutzername und Passwort der Firewall dürfen für SOCKS5 jeweils höchstens 255 Byte lang sein.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The mail server&apos;s name %1 is too long for SOCKS5.</source>
        <translation>Der Name des Mailservers %1 ist für SOCKS5 zu lang.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot connect to the firewall %1: %2</source>
        <translation>Keine Verbindung zur Firewall %1 möglich: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The firewall %1 closed the connection during the %2 handshake.</source>
        <translation>Die Firewall %1 hat die Verbindung während des %2-Handshakes geschlossen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The connection to the firewall %1 failed during the %2 handshake: %3</source>
        <translation>Die Verbindung zur Firewall %1 ist während des %2-Handshakes fehlgeschlagen: %3</translation>
    </message>
</context>
</TS>
