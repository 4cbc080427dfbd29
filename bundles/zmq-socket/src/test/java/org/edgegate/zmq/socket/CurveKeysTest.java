package org.edgegate.zmq.socket;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.zeromq.ZCert;

public class CurveKeysTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void generatedKeysReadBackAndTheSecretIsPrivate() throws IOException {
        Path dir = tmp.getRoot().toPath().resolve("zmq");
        ZCert cert = CurveKeys.generate(dir, "gw");
        ZCert back = CurveKeys.keyPair(dir.resolve("gw.key_secret"));
        assertArrayEquals(cert.getSecretKey(), back.getSecretKey());
        assertArrayEquals(cert.getPublicKey(), CurveKeys.publicKey(dir.resolve("gw.key").toString()));
        assertArrayEquals(cert.getPublicKey(), CurveKeys.publicKey(cert.getPublicKeyAsZ85()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("gw.key_secret"))));
        assertTrue(Files.readString(dir.resolve("gw.key")).contains("public-key = \"" + cert.getPublicKeyAsZ85() + "\""));
        assertTrue(CurveKeys.publicKeysIn(dir).contains(cert.getPublicKeyAsZ85()));
    }

    @Test
    public void neverOverwritesAKey() throws IOException {
        Path dir = tmp.getRoot().toPath();
        CurveKeys.generate(dir, "gw");
        try {
            CurveKeys.generate(dir, "gw");
            fail("overwrote a key pair");
        } catch (FileAlreadyExistsException expected) {
            assertTrue(expected.getMessage().contains("remove it first"));
        }
    }

    @Test
    public void aPublicCertificateIsNotAKeyPair() throws IOException {
        Path dir = tmp.getRoot().toPath();
        CurveKeys.generate(dir, "gw");
        try {
            CurveKeys.keyPair(dir.resolve("gw.key"));
            fail("accepted a public certificate as key pair");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("holds no secret-key"));
        }
    }
}
