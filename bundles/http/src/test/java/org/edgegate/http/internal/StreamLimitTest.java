package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

/** maxStreams from a file in etc/, which no Metatype range guards. */
public class StreamLimitTest {
    @Test
    public void aValueInRangeIsTaken() {
        StreamLimit l = StreamLimit.of(StreamFakes.config(5), Map.of("maxStreams", 5));
        assertEquals(5, l.max());
        assertNull(l.problem());
    }

    @Test
    public void outOfRangeKeepsTheDefaultAndSaysWhy() {
        for (int bad : new int[] { 0, -3, 1001, Integer.MAX_VALUE }) {
            StreamLimit l = StreamLimit.of(StreamFakes.config(bad), Map.of("maxStreams", bad));
            assertEquals("maxStreams = " + bad, StreamLimit.DEFAULT, l.max());
            assertTrue(l.problem(), l.problem().startsWith("maxStreams must be between 1 and 1000, not " + bad)
                    && l.problem().contains(HttpConfig.PID) && l.problem().endsWith("16 used"));
        }
    }
}
