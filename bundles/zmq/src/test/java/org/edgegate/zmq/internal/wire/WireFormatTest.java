package org.edgegate.zmq.internal.wire;

import org.edgegate.zmq.internal.TestFrame;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.edgegate.api.sensor.Reading;
import org.edgegate.api.state.StateChange;
import org.edgegate.api.state.StateEntry;
import org.junit.Test;

import com.google.gson.JsonObject;

public class WireFormatTest {
    private static final Instant T = Instant.ofEpochSecond(1795781234L, 567_125_999);
    private static final byte[] JPEG = { (byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9 };

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    public void timestampIsEpochMillisWithAMicrosecondFraction() {
        assertEquals("1795781234567.125", Json.millis(T).toString());
        assertEquals("1795781234000.000", Json.millis(Instant.ofEpochSecond(1795781234L)).toString());
    }

    @Test
    public void readingMessage() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("temperature", -5L);
        values.put("humidity", 60.5);
        values.put("status", "ok");
        Reading r = new Reading("th", 42, T, values, Map.of("temperature", "°C"), "T--5-H-60.5");
        byte[][] m = new WireFormat.Native(false).encode(r);
        assertEquals(3, m.length);
        assertEquals("sensor/th", s(m[0]));
        assertTrue(s(m[1]).contains("\"ts\":1795781234567.125"));
        JsonObject h = Json.parseObject(s(m[1]));
        assertEquals("th", h.get("sensor").getAsString());
        assertEquals(42, h.get("seq").getAsLong());
        assertEquals(-5, h.getAsJsonObject("values").get("temperature").getAsLong());
        assertEquals(60.5, h.getAsJsonObject("values").get("humidity").getAsDouble(), 0);
        assertEquals("ok", h.getAsJsonObject("values").get("status").getAsString());
        assertEquals("°C", h.getAsJsonObject("units").get("temperature").getAsString());
        assertEquals("T--5-H-60.5", h.get("raw").getAsString());
        assertEquals(0, m[2].length);
    }

    @Test
    public void frameMessageJpegAndRaw() {
        TestFrame f = new TestFrame("cam0", 7, T, 0, JPEG);
        byte[][] m = new WireFormat.Native(false).encode(f);
        assertEquals("camera/cam0", s(m[0]));
        JsonObject h = Json.parseObject(s(m[1]));
        assertEquals("cam0", h.get("camera").getAsString());
        assertEquals(7, h.get("seq").getAsLong());
        assertEquals(4, h.get("width").getAsInt());
        assertEquals(2, h.get("height").getAsInt());
        assertEquals("jpeg", h.get("format").getAsString());
        assertFalse(h.has("shape"));
        assertArrayEquals(JPEG, m[2]);

        byte[][] raw = new WireFormat.Native(true).encode(f);
        JsonObject rh = Json.parseObject(s(raw[1]));
        assertEquals("bgr", rh.get("format").getAsString());
        assertEquals("uint8", rh.get("dtype").getAsString());
        assertEquals("[2,4,3]", rh.get("shape").toString());
        assertEquals(2 * 4 * 3, raw[2].length);
    }

    @Test
    public void stateMessagesForWritesAndRemovals() {
        StateEntry e = new StateEntry("camera/0/enabled", false, 12, 1795781234567L);
        byte[][] m = new WireFormat.Native(false).encode(StateChange.written(e));
        assertEquals("state/camera/0/enabled", s(m[0]));
        assertEquals("{\"key\":\"camera/0/enabled\",\"value\":false,\"version\":12,\"ts\":1795781234567}", s(m[1]));
        byte[][] removed = new WireFormat.Native(false).encode(StateChange.removed("a/b", 13, 1795781234999L));
        assertEquals("{\"key\":\"a/b\",\"version\":13,\"ts\":1795781234999,\"removed\":true}", s(removed[1]));
        StateEntry bytes = new StateEntry("blob", new byte[] { 1, 2, 3 }, 14, 1L);
        assertTrue(s(new WireFormat.Native(false).encode(StateChange.written(bytes))[1])
                .contains("\"value\":{\"base64\":\"AQID\"}"));
    }

    @Test
    public void seedMessageIsOneFrameOfPaddedStandardBase64() {
        byte[][] m = new WireFormat.Seed().encode(new TestFrame("0", 1, JPEG));
        assertEquals(1, m.length);
        assertEquals(Base64.getEncoder().encodeToString(JPEG), s(m[0]));
        assertTrue(s(m[0]).endsWith("="));
        assertArrayEquals(JPEG, Base64.getDecoder().decode(m[0]));
        assertEquals(null, new WireFormat.Seed().encode("not a frame"));
    }

    @Test
    public void imagezmqMessageIsSendJpgOrSendImage() {
        WireFormat.ImageZmq f = new WireFormat.ImageZmq(false, "{host}|{camera}", "pi");
        byte[][] m = f.encode(new TestFrame("2", 1, JPEG));
        assertEquals("{\"msg\":\"pi|2\"}", s(m[0]));
        assertArrayEquals(JPEG, m[1]);
        byte[][] raw = new WireFormat.ImageZmq(true, "cam-{camera}", "pi").encode(new TestFrame("2", 1, JPEG));
        assertEquals("{\"msg\":\"cam-2\",\"dtype\":\"uint8\",\"shape\":[2,4,3]}", s(raw[0]));
    }
}
