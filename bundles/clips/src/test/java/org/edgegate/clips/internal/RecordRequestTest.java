package org.edgegate.clips.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

public class RecordRequestTest {

    @Test
    public void wordsAsGwClipsRecord() {
        assertEquals(new RecordRequest(List.of("cam0", "cam1"), 30), RecordRequest.parse(" cam0 cam1 30 "));
        assertEquals(new RecordRequest(List.of("cam0", "cam1"), 10), RecordRequest.parse("cam0,cam1"));
        assertEquals("one word is a camera", new RecordRequest(List.of("30"), 10), RecordRequest.parse("30"));
        assertEquals("each camera once", List.of("a"), RecordRequest.parse("a a 5").cameras());
        assertEquals("nothing named: every camera", new RecordRequest(List.of(), 10), RecordRequest.parse(""));
    }

    @Test
    public void jsonObject() {
        assertEquals(new RecordRequest(List.of("demo"), 5), RecordRequest.parse("{\"cameras\":[\"demo\"],\"seconds\":5}"));
        assertEquals(new RecordRequest(List.of("a", "b"), 600), RecordRequest.parse("{\"cameras\":\"a b\",\"seconds\":6e2}"));
        assertEquals(new RecordRequest(List.of(), 7), RecordRequest.parse("{\"seconds\":7.0}"));
        assertEquals(new RecordRequest(List.of(), 10), RecordRequest.parse("{}"));
        assertEquals("demo, 5 s", RecordRequest.parse("{\"cameras\":[\"demo\"],\"seconds\":5}").toString());
    }

    @Test
    public void everythingElseIsRefusedWithAReason() {
        String many = "{\"cameras\":[" + "\"c\",".repeat(200) + "\"c\"]}";
        String distinct = "{\"cameras\":[" + String.join(",", java.util.stream.IntStream.range(0, 65)
                .mapToObj(i -> "\"c" + i + "\"").toList()) + "]}";
        Object[] bad = { 5L, true, "cam0 0", "cam0 601", "cam0 99999999999999999999", "{\"seconds\":1e9}",
            "{\"seconds\":0.5}", "{\"seconds\":\"5\"}", "{\"seconds\":-1}", "{\"cameras\":[1]}",
            "{\"cameras\":[[\"a\"]]}", "{\"cameras\":{}}", "{\"camera\":[\"a\"]}", "{\"cameras\":[\"a\"]", "{a:1}",
            "{\"seconds\":5} x", "{\"cameras\":[\"../etc\"]}", "bad/id", "x".repeat(RecordRequest.MAX_TEXT + 1),
            distinct };
        for (Object v : bad) {
            try {
                RecordRequest.parse(v);
                fail("accepted " + v);
            } catch (IllegalArgumentException expected) {
                assertTrue(String.valueOf(v), !expected.getMessage().isEmpty());
                assertTrue("a bounded message: " + expected.getMessage().length(), expected.getMessage().length() < 300);
            }
        }
        assertEquals("a repeated camera counts once", List.of("c"), RecordRequest.parse(many).cameras());
    }
}
