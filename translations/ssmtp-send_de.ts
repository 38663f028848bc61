<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ssmtp-send</name>
    <message>
        <location filename="../demo-app/ssmtp-send/main.cpp" line="+57"/>
        <source>Sends a message with the Ssmtp component. Every writable property is reachable with --set, every config setting with --config.</source>
        <translation>Sendet eine Nachricht mit der Ssmtp-Komponente. Jede schreibbare Eigenschaft ist über --set erreichbar, jede Konfigurationseinstellung über --config.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Set a property by its Qt name (VALUE &quot;@path&quot; reads a file).</source>
        <translation>Setzt eine Eigenschaft über ihren Qt-Namen (VALUE &quot;@pfad&quot; liest den Wert aus einer Datei).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Call config(&quot;NAME=VALUE&quot;).</source>
        <translation>Ruft config(&quot;NAME=VALUE&quot;) auf.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add a messageRecipients entry: TYPE:ADDRESS[:OPTIONS], TYPE to, cc or bcc (OPTIONS e.g. NOTIFY=SUCCESS,FAILURE).</source>
        <translation>Fügt messageRecipients einen Eintrag hinzu: TYPE:ADDRESS[:OPTIONS], TYPE ist to, cc oder bcc (OPTIONS z. B. NOTIFY=SUCCESS,FAILURE).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stream the message body from FILE (setMessageStream).</source>
        <translation>Liest den Nachrichtentext als Stream aus FILE (setMessageStream).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Print the protocol trace to stderr (C: client, S: server, I: info, T: TLS).</source>
        <translation>Gibt die Protokollmitschrift auf stderr aus (C: Client, S: Server, I: Info, T: TLS).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send the message N times over one connection.</source>
        <translation>Sendet die Nachricht N-mal über eine Verbindung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Queue the message into DIR instead of sending it (&quot;*&quot; prints it).</source>
        <translation>Stellt die Nachricht in DIR in die Warteschlange, statt sie zu senden (&quot;*&quot; gibt sie aus).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send every message queued in DIR.</source>
        <translation>Sendet alle Nachrichten aus der Warteschlange in DIR.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ask the server to verify ADDR (VRFY).</source>
        <translation>Lässt den Server ADDR überprüfen (VRFY).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ask the server to expand ADDR (EXPN); prints each address.</source>
        <translation>Lässt den Server ADDR auflösen (EXPN) und gibt jede Adresse aus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send LINE as a raw command and print the reply.</source>
        <translation>Sendet LINE unverändert als Befehl und gibt die Antwort aus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attach FILE (repeatable).</source>
        <translation>Hängt FILE an (mehrfach möglich).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use the UTF-8 HTML in FILE as the body (messageText becomes its plain-text alternative).</source>
        <translation>Verwendet das UTF-8-HTML in FILE als Nachrichtentext (messageText wird zu dessen Nur-Text-Alternative).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sign the message (S/MIME) with --signer.</source>
        <translation>Signiert die Nachricht (S/MIME) mit --signer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encrypt the message (S/MIME) for every --recipient-cert.</source>
        <translation>Verschlüsselt die Nachricht (S/MIME) für jedes --recipient-cert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sign, then encrypt the message (S/MIME).</source>
        <translation>Signiert die Nachricht und verschlüsselt sie anschließend (S/MIME).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signing certificate with its private key: a PKCS#12 or PEM file, optionally followed by :PASSWORD.</source>
        <translation>Das Signaturzertifikat mit seinem privaten Schlüssel: eine PKCS#12- oder PEM-Datei, optional gefolgt von :PASSWORD.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A recipient&apos;s certificate (PEM or DER) to encrypt for (repeatable).</source>
        <translation>Das Zertifikat (PEM oder DER) eines Empfängers, für den verschlüsselt wird (mehrfach möglich).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PEM file of CA certificates trusted for the server&apos;s TLS certificate in addition to the system&apos;s (SSLServerCACerts).</source>
        <translation>PEM-Datei mit CA-Zertifikaten, denen für das TLS-Zertifikat des Servers zusätzlich zu denen des Systems vertraut wird (SSLServerCACerts).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Accept the server&apos;s TLS certificate when it is exactly the one in FILE (PEM or DER; sslAcceptServerCert).</source>
        <translation>Akzeptiert das TLS-Zertifikat des Servers, wenn es genau dem in FILE entspricht (PEM oder DER; sslAcceptServerCert).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>TLS client certificate with its private key: a PKCS#12 or PEM file, optionally followed by :PASSWORD (sslCert).</source>
        <translation>TLS-Client-Zertifikat mit seinem privaten Schlüssel: eine PKCS#12- oder PEM-Datei, optional gefolgt von :PASSWORD (sslCert).</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>--recipient expects TYPE:ADDRESS[:OPTIONS], got &quot;%1&quot;</source>
        <translation>--recipient erwartet TYPE:ADDRESS[:OPTIONS], erhalten: „%1“</translation>
    </message>
    <message>
        <location filename="../demo-app/ssmtp-send/certificatefile.cpp" line="+11"/>
        <location filename="../demo-app/ssmtp-send/main.cpp" line="+12"/>
        <location line="+48"/>
        <location line="+13"/>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location filename="../demo-app/ssmtp-send/main.cpp" line="+40"/>
        <source>--count expects a positive number.</source>
        <translation>--count erwartet eine positive Zahl.</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n queued message(s) sent</source>
        <translation>
            <numerusform>%n Nachricht aus der Warteschlange gesendet</numerusform>
            <numerusform>%n Nachrichten aus der Warteschlange gesendet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+39"/>
        <source>%n message(s) sent</source>
        <translation>
            <numerusform>%n Nachricht gesendet</numerusform>
            <numerusform>%n Nachrichten gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../demo-app/ssmtp-send/propertysetter.cpp" line="+13"/>
        <source>--set expects NAME=VALUE, got &quot;%1&quot;</source>
        <translation>--set erwartet NAME=VALUE, erhalten: „%1“</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Unknown property &quot;%1&quot;.</source>
        <translation>Unbekannte Eigenschaft „%1“.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The property &quot;%1&quot; is read-only.</source>
        <translation>Die Eigenschaft „%1“ ist schreibgeschützt.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Invalid value &quot;%1&quot; for %2; expected one of: %3</source>
        <translation>Ungültiger Wert „%1“ für %2; erwartet wird einer der Werte: %3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Invalid value &quot;%1&quot; for %2; expected true or false</source>
        <translation>Ungültiger Wert „%1“ für %2; erwartet wird true oder false</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Invalid value &quot;%1&quot; for %2; expected a number</source>
        <translation>Ungültiger Wert „%1“ für %2; erwartet wird eine Zahl</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The property &quot;%1&quot; cannot be set from the command line.</source>
        <translation>Die Eigenschaft „%1“ kann nicht über die Befehlszeile gesetzt werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot set %1 to &quot;%2&quot;.</source>
        <translation>%1 kann nicht auf „%2“ gesetzt werden.</translation>
    </message>
</context>
</TS>
