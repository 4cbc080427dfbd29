package org.edgegate.serial.internal.parser;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ValuesTest {
    @Test
    public void numbersBecomeLongOrDouble() {
        assertEquals(25L, Values.of("25"));
        assertEquals(25L, Values.of("+25"));
        assertEquals(7L, Values.of("007"));
        assertEquals(-5.5, Values.of("-5.5"));
        assertEquals(0.5, Values.of(".5"));
        assertEquals(1200.0, Values.of("1.2e3"));
        assertEquals(1.0E19, Values.of("10000000000000000000"));
    }

    @Test
    public void everythingElseStaysText() {
        assertEquals("ERR", Values.of("ERR"));
        assertEquals("NaN", Values.of("NaN"));
        assertEquals("0x1F", Values.of("0x1F"));
        assertEquals("1.2.3", Values.of("1.2.3"));
        assertEquals("-", Values.of("-"));
        assertEquals("1e999", Values.of("1e999"));
    }

    @Test
    public void unescape() {
        assertEquals("\t", Values.unescape("\\t"));
        assertEquals("\r\n", Values.unescape("\\r\\n"));
        assertEquals("a\\b", Values.unescape("a\\\\b"));
        assertEquals("\\q", Values.unescape("\\q"));
    }
}
