package org.edgegate.zmq.internal.wire;

import org.edgegate.zmq.internal.MemoryState;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Test;

import com.google.gson.JsonObject;

public class StateProtocolTest {
    private final MemoryState state = new MemoryState();
    private final StateProtocol protocol = new StateProtocol(() -> state, 1024);

    private JsonObject ask(String request) {
        return ask(List.of(request.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonObject ask(List<byte[]> frames) {
        return Json.parseObject(new String(protocol.handle(frames), StandardCharsets.UTF_8));
    }

    private String error(String request) {
        JsonObject r = ask(request);
        assertFalse(request, r.get("ok").getAsBoolean());
        return r.get("error").getAsString();
    }

    @Test
    public void getOfAnAbsentKeyIsNotAnError() {
        JsonObject r = ask("{\"op\":\"get\",\"key\":\"sensor/th/T\"}");
        assertTrue(r.get("ok").getAsBoolean());
        assertTrue(r.get("value").isJsonNull());
        assertEquals(0, r.get("version").getAsLong());
    }

    @Test
    public void putGetCasRemoveListRoundTrips() {
        JsonObject put = ask("{\"op\":\"put\",\"key\":\"camera/0/enabled\",\"value\":true}");
        assertTrue(put.get("ok").getAsBoolean());
        long v1 = put.get("version").getAsLong();
        assertTrue(put.get("ts").getAsLong() > 0);
        JsonObject get = ask("{\"op\":\"get\",\"key\":\"camera/0/enabled\"}");
        assertTrue(get.get("value").getAsBoolean());
        assertEquals(v1, get.get("version").getAsLong());

        JsonObject cas = ask("{\"op\":\"cas\",\"key\":\"camera/0/enabled\",\"version\":" + v1 + ",\"value\":false}");
        assertTrue(cas.get("ok").getAsBoolean());
        assertFalse(cas.get("value").getAsBoolean());
        JsonObject stale = ask("{\"op\":\"cas\",\"key\":\"camera/0/enabled\",\"version\":" + v1 + ",\"value\":true}");
        assertFalse(stale.get("ok").getAsBoolean());
        assertTrue(stale.get("error").getAsString().contains("version mismatch"));
        assertEquals("the current entry comes with a failed cas", cas.get("version").getAsLong(),
                stale.get("version").getAsLong());
        assertFalse(stale.get("value").getAsBoolean());
        JsonObject create = ask("{\"op\":\"cas\",\"key\":\"new/key\",\"version\":0,\"value\":1.5}");
        assertTrue(create.get("ok").getAsBoolean());
        assertEquals(1.5, create.get("value").getAsDouble(), 0);

        ask("{\"op\":\"put\",\"key\":\"camera/1/enabled\",\"value\":\"yes\"}");
        ask("{\"op\":\"put\",\"key\":\"blob\",\"value\":{\"base64\":\"AQID\"}}");
        assertEquals("AQID", ask("{\"op\":\"get\",\"key\":\"blob\"}").getAsJsonObject("value").get("base64")
                .getAsString());
        JsonObject list = ask("{\"op\":\"list\",\"prefix\":\"camera/\"}");
        assertEquals(2, list.getAsJsonArray("entries").size());
        assertEquals("camera/1/enabled", list.getAsJsonArray("entries").get(1).getAsJsonObject().get("key")
                .getAsString());
        assertEquals(4, ask("{\"op\":\"list\"}").getAsJsonArray("entries").size());

        JsonObject removed = ask("{\"op\":\"remove\",\"key\":\"camera/1/enabled\"}");
        assertTrue(removed.get("removed").getAsBoolean());
        assertEquals("yes", removed.get("value").getAsString());
        assertFalse(ask("{\"op\":\"remove\",\"key\":\"camera/1/enabled\"}").get("removed").getAsBoolean());
        assertTrue(ask("{\"op\":\"get\",\"key\":\"camera/1/enabled\"}").get("value").isJsonNull());
    }

    @Test
    public void numbersKeepTheirType() {
        assertEquals("9007199254740993", ask("{\"op\":\"put\",\"key\":\"big\",\"value\":9007199254740993}")
                .get("value").toString());
        assertEquals("-2.5", ask("{\"op\":\"put\",\"key\":\"neg\",\"value\":-2.5}").get("value").toString());
    }

    @Test
    public void everyKindOfBadRequestGetsAnErrorReply() {
        assertEquals("not JSON: End of input at line 1 column 13", error("{\"op\":\"get\","));
        assertEquals("not JSON: malformed at line 1 column 3", error("{not json"));
        assertTrue(error("{'op':'get'}").startsWith("not JSON"));
        assertTrue(error("{\"op\":\"get\",\"key\":\"a\"} trailing").startsWith("not JSON"));
        assertTrue(error("[1,2]").contains("must be a JSON object"));
        assertTrue(error("{}").contains("\"op\" is missing"));
        assertTrue(error("{\"op\":\"drop\",\"key\":\"a\"}").contains("unknown op 'drop'"));
        assertTrue(error("{\"op\":7}").contains("\"op\" must be a string"));
        assertTrue(error("{\"op\":\"get\"}").contains("\"key\" is missing"));
        assertTrue(error("{\"op\":\"get\",\"key\":5}").contains("\"key\" must be a string"));
        assertTrue(error("{\"op\":\"get\",\"key\":\"/bad//key\"}").contains("not a valid state key"));
        assertTrue(error("{\"op\":\"put\",\"key\":\"a\"}").contains("value is missing"));
        assertTrue(error("{\"op\":\"put\",\"key\":\"a\",\"value\":[1]}").contains("value must be"));
        assertTrue(error("{\"op\":\"put\",\"key\":\"a\",\"value\":{\"base64\":\"***\"}}").contains("not base64"));
        assertTrue(error("{\"op\":\"cas\",\"key\":\"a\",\"value\":1}").contains("version is missing"));
        assertTrue(error("{\"op\":\"cas\",\"key\":\"a\",\"version\":\"3\",\"value\":1}").contains("version must be"));
        assertTrue(error("{\"op\":\"cas\",\"key\":\"a\",\"version\":-1,\"value\":1}").contains("version must be"));
        assertTrue(error("{\"op\":\"list\",\"prefix\":false}").contains("\"prefix\" must be a string"));
        assertTrue(error("{\"op\":\"put\",\"key\":\"a\",\"value\":\"" + "x".repeat(2000) + "\"}")
                .contains("bytes is over the limit of 1024"));
        String longOp = error("{\"op\":\"" + "y".repeat(500) + "\"}");
        assertTrue(longOp, longOp.length() < 150);
        JsonObject twoFrames = ask(List.of("{}".getBytes(), "{}".getBytes()));
        assertTrue(twoFrames.get("error").getAsString().contains("one frame"));
        JsonObject notUtf8 = ask(List.of(new byte[] { '{', (byte) 0xC3, '}' }));
        assertTrue(notUtf8.get("error").getAsString().contains("not UTF-8"));
        // still answering
        assertTrue(ask("{\"op\":\"get\",\"key\":\"a\"}").get("ok").getAsBoolean());
    }

    @Test
    public void withoutTheStateServiceTheReplySaysSo() {
        StateProtocol absent = new StateProtocol(() -> null, 1024);
        String reply = new String(absent.handle(List.of("{\"op\":\"get\",\"key\":\"a\"}".getBytes())),
                StandardCharsets.UTF_8);
        assertTrue(reply, reply.contains("state service is not running"));
    }

    /** Issue 18: a request that could mean two things is refused, not read one of the two ways. */
    @Test
    public void duplicateNamesAndAByteOrderMarkAreRefused() {
        assertEquals("not JSON this endpoint accepts: \"value\" appears twice in one object",
                error("{\"op\":\"put\",\"key\":\"a/b\",\"value\":1,\"value\":2}"));
        assertEquals("not JSON this endpoint accepts: \"op\" appears twice in one object",
                error("{\"op\":\"get\",\"key\":\"a/b\",\"op\":\"remove\"}"));
        assertTrue(error("{\"op\":\"put\",\"key\":\"a/b\",\"value\":{\"base64\":\"AA==\",\"base64\":\"AQ==\"}}")
                .contains("\"base64\" appears twice"));
        assertTrue(error("\uFEFF{\"op\":\"get\",\"key\":\"a/b\"}").contains("byte order mark"));
        assertTrue("nothing was written", state.get("a/b").isEmpty());
        assertTrue("the same names in two objects are fine",
                ask("{\"op\":\"put\",\"key\":\"a/b\",\"value\":{\"base64\":\"AA==\"}}").get("ok").getAsBoolean());
    }
}
