package org.edgegate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test CA and certificates it signs, made with {@code openssl} (keys unencrypted PKCS#8, as the MQTT bridge
 * reads them): a server certificate for 127.0.0.1 and client certificates by common name.
 */
final class TestCertificates {
    final Path dir;
    final Path ca;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca.pem");
    }

    /** A new self-signed CA in {@code dir}. */
    static TestCertificates authority(Path dir) throws IOException {
        Files.createDirectories(dir);
        Mosquitto.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout",
                "ca.key", "-out", "ca.pem", "-subj", "/CN=EdgeGate promises CA");
        return new TestCertificates(dir);
    }

    /** A certificate and key signed by this CA: {@code <name>.pem}, {@code <name>.key}. */
    record Pair(Path cert, Path key) {
    }

    /** For a server on 127.0.0.1 (the name is checked by the client). */
    Pair server(String name) throws IOException {
        return sign(name, "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }

    /** For a client presenting itself as {@code commonName}. */
    Pair client(String name, String commonName) throws IOException {
        return sign(name, commonName, "extendedKeyUsage=clientAuth\n");
    }

    private Pair sign(String name, String commonName, String extensions) throws IOException {
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        Mosquitto.run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
                name + ".csr", "-subj", "/CN=" + commonName);
        Mosquitto.run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", name + ".pem");
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }
}
