package org.edgegate.zmq.socket;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZMQ;

/**
 * CURVE key files in the ZeroMQ certificate format (czmq's {@code zcert}, also read and written by pyzmq's
 * {@code zmq.auth}): {@code name.key} holds the public key, {@code name.key_secret} both keys. Paths in
 * endpoint configurations are relative to the gateway's {@code etc/} directory.
 */
public final class CurveKeys {
    private static final Pattern Z85_KEY = Pattern.compile("[0-9a-zA-Z.\\-:+=^!/*?&<>()\\[\\]{}@%$#]{40}");

    private CurveKeys() {
    }

    public static Path resolve(Path etc, String path) {
        Path p = Paths.get(path);
        return p.isAbsolute() ? p : etc.resolve(p);
    }

    /** A key given as 40 Z85 characters stays as it is; anything else is a file under {@code etc}. */
    public static String keyOrFile(Path etc, String keyOrPath) {
        if (Z85_KEY.matcher(keyOrPath).matches() && !Files.exists(resolve(etc, keyOrPath))) {
            return keyOrPath;
        }
        return resolve(etc, keyOrPath).toString();
    }

    /** A key pair from a secret certificate; the message names the file and what is wrong with it. */
    public static ZCert keyPair(Path file) {
        ZConfig conf = load(file);
        String pub = conf.getValue("curve/public-key");
        String secret = conf.getValue("curve/secret-key");
        if (secret == null || pub == null) {
            throw new IllegalArgumentException(file + " holds no " + (pub == null ? "public-key" : "secret-key")
                    + ": give the .key_secret file that gw:zmq keygen writes");
        }
        try {
            return new ZCert(pub, secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** A public key given as 40 Z85 characters or as a certificate file (public or secret). */
    public static byte[] publicKey(String keyOrPath) {
        if (Z85_KEY.matcher(keyOrPath).matches() && !Files.exists(Paths.get(keyOrPath))) {
            return ZMQ.Curve.z85Decode(keyOrPath);
        }
        Path file = Paths.get(keyOrPath);
        String pub = load(file).getValue("curve/public-key");
        if (pub == null || pub.length() != ZMQ.Curve.KEY_SIZE_Z85) {
            throw new IllegalArgumentException(file + " holds no public-key of 40 Z85 characters");
        }
        return ZMQ.Curve.z85Decode(pub);
    }

    /** The Z85 public keys of every certificate in a directory (files that are not certificates are skipped). */
    public static Set<String> publicKeysIn(Path dir) {
        Set<String> keys = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    String pub = ZConfig.load(f.toString()).getValue("curve/public-key");
                    if (pub != null && pub.length() == ZMQ.Curve.KEY_SIZE_Z85) {
                        keys.add(pub);
                    }
                } catch (IOException | RuntimeException notACertificate) {
                    // a stray file in the directory allows nobody
                }
            }
        } catch (IOException e) {
            return keys;
        }
        return keys;
    }

    private static ZConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("key file " + file + " does not exist (gw:zmq keygen writes one)");
        }
        try {
            return ZConfig.load(file.toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes a new key pair as {@code dir/name.key} (public, to give to peers) and {@code dir/name.key_secret}
     * (readable by its owner only). Refuses to overwrite an existing key.
     *
     * @return the new certificate
     */
    public static ZCert generate(Path dir, String name) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("key name '" + name + "' may hold letters, digits, '.', '_', '-' only");
        }
        Files.createDirectories(dir);
        Path pub = dir.resolve(name + ".key");
        Path secret = dir.resolve(name + ".key_secret");
        for (Path p : new Path[] { pub, secret }) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p + " exists; remove it first to replace the key pair");
            }
        }
        ZCert cert = new ZCert();
        cert.setMeta("name", name);
        writeNew(secret, cert, true);
        writeNew(pub, cert, false);
        return cert;
    }

    private static void writeNew(Path file, ZCert cert, boolean secret) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
            if (secret) {
                cert.saveSecret(w);
            } else {
                cert.savePublic(w);
            }
        }
    }
}
