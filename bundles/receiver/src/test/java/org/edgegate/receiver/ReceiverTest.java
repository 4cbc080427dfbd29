package org.edgegate.receiver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

/** The tool on its own; against real endpoints: the zmq bundle's ReceiverAgainstEndpointTest. */
public class ReceiverTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    public void percentiles() {
        assertEquals(5.0, Receiver.percentile(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0), 50), 0);
        assertEquals(10.0, Receiver.percentile(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0), 99), 0);
        assertEquals(0.0, Receiver.percentile(List.of(), 99), 0);
    }

    @Test
    public void wrongArgumentsPrintUsage() throws Exception {
        assertEquals(2, Receiver.run(new String[] { "--frobnicate" }, out));
        assertEquals(2, Receiver.run(new String[0], out));
        assertEquals(0, Receiver.run(new String[] { "--help" }, out));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("usage: edgegate-receive"));
    }
}
