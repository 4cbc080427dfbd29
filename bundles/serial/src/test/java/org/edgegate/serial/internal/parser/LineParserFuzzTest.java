package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.edgegate.api.sensor.LineParseException;
import org.edgegate.api.sensor.LineParser;
import org.edgegate.api.sensor.LineParserFactory;
import org.edgegate.kernel.fuzz.Fuzz;
import org.junit.Test;

/**
 * Every line parser, fed mutated lines: a bad line is a {@link LineParseException}, nothing else escapes,
 * nothing hangs (a regular expression included), and what is parsed is a value the state takes.
 */
public class LineParserFuzzTest {
    private static final List<byte[]> SEEDS = List.of(
            utf8("T-25-H-60"), utf8("T-25.5-H--3"), utf8("25.1,60,ok"), utf8("{\"T\":25,\"H\":60.5,\"s\":\"x\"}"),
            utf8("T=25 H=60"), utf8("T:25;H:60"), utf8("{\"a\":{\"b\":[1,2,{\"c\":1e308}]}}"), utf8("1e999,-0,NaN"),
            utf8("T=99999999999999999999999"), utf8(""));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void fuzz(String name, LineParserFactory factory, Map<String, Object> options) {
        LineParser parser = factory.create(options);
        int n = Fuzz.run(name + " parser", SEEDS, input -> {
            Map<String, Object> values = parser.parse(new String(input, StandardCharsets.UTF_8));
            for (Object v : values.values()) {
                if (!(v instanceof Long || v instanceof Double || v instanceof String)) {
                    throw new AssertionError("not a reading value: " + v);
                }
                if (v instanceof Double d && !Double.isFinite(d)) {
                    throw new AssertionError("not finite: " + d);
                }
            }
        }, LineParseException.class);
        assertTrue(n > 0);
    }

    @Test
    public void dash() {
        fuzz("dash", new DashParserFactory(), Map.of());
    }

    @Test
    public void csv() {
        fuzz("csv", new CsvParserFactory(), Map.of("parser.columns", "T,H,s"));
    }

    @Test
    public void json() {
        fuzz("json", new JsonParserFactory(), Map.of());
    }

    @Test
    public void kv() {
        fuzz("kv", new KvParserFactory(), Map.of());
    }

    @Test
    public void regex() {
        fuzz("regex", new RegexParserFactory(), Map.of("parser.regex", "T=(?<T>-?\\d+(\\.\\d+)?)\\s+H=(?<H>\\d+)"));
    }
}
