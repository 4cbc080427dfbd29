package org.edgegate.zmq.internal;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class KeygenCommandTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void commandWritesUnderEtcZmq() throws IOException {
        String out = KeygenCommand.generate(tmp.getRoot().toPath().resolve("zmq"), "edgegate");
        assertTrue(out, out.startsWith("public key "));
        assertTrue(Files.exists(tmp.getRoot().toPath().resolve("zmq/edgegate.key_secret")));
    }
}
