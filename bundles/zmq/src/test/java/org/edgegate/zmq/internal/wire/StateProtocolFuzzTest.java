package org.edgegate.zmq.internal.wire;

import org.edgegate.zmq.internal.MemoryState;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The state protocol never throws and always answers one JSON object with "ok", whatever it is sent. */
public class StateProtocolFuzzTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void everyRequestGetsAJsonAnswer() {
        MemoryState state = new MemoryState();
        StateProtocol protocol = new StateProtocol(() -> state, 4096);
        List<byte[]> seeds = List.of(
                utf8("{\"op\":\"get\",\"key\":\"a/b\"}"),
                utf8("{\"op\":\"put\",\"key\":\"a/b\",\"value\":12.5}"),
                utf8("{\"op\":\"put\",\"key\":\"x\",\"value\":{\"base64\":\"AAEC\"}}"),
                utf8("{\"op\":\"cas\",\"key\":\"a/b\",\"version\":0,\"value\":\"s\"}"),
                utf8("{\"op\":\"remove\",\"key\":\"a/b\"}"),
                utf8("{\"op\":\"list\",\"prefix\":\"a/\"}"),
                utf8("{\"op\":\"put\",\"key\":\"k\",\"value\":[1,{\"a\":null}],\"op\":\"get\"}"),
                utf8("\uFEFF{\"op\":\"list\"}"));
        int n = Fuzz.run("state protocol", seeds, input -> {
            byte[] reply = protocol.handle(List.of(input));
            JsonObject o = JsonParser.parseString(new String(reply, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!o.has("ok")) {
                throw new AssertionError("no ok in " + o);
            }
        });
        assertTrue(n > 0);
    }
}
