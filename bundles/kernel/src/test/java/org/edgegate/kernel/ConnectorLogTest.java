package org.edgegate.kernel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class ConnectorLogTest {
    @Test
    public void eachPlaceholderTakesTheNextArgument() {
        assertEquals("sensor a: 3 lines in 2 ms", ConnectorLog.format("sensor {}: {} lines in {} ms", "a", 3, 2L));
        assertEquals("a: {}", ConnectorLog.format("{}: {}", "a"));
        assertEquals("literal {} then b", ConnectorLog.format("literal \\{} then {}", "b"));
    }

    @Test
    public void textFromOutsideIsWrittenAsItIsWhenPassedAsAnArgument() {
        // a device that names itself "{}" must not shift the arguments after it
        assertEquals("sensor {}: gone", ConnectorLog.format("sensor {}: {}", "{}", "gone"));
    }

    @Test
    public void aThrowableLastIsTheCause() {
        IllegalStateException e = new IllegalStateException("boom");
        assertEquals("listener x failed (2 failures so far)",
                ConnectorLog.format("listener {} failed ({} failures so far)", "x", 2, e));
        assertSame(e, ConnectorLog.cause("x", 2, e));
        assertNull(ConnectorLog.cause("x", 2));
        assertNull(ConnectorLog.cause());
    }

    @Test
    public void ofPassesFormatAndArgumentsToEachLevel() {
        List<String> lines = new ArrayList<>();
        ConnectorLog log = RecordingLog.into(lines);
        log.info("a {}", 1);
        log.warn("b {}", 2);
        log.debug("c {}", 3);
        ConnectorLog.NONE.warn("nowhere {}", 4);
        assertEquals(List.of("INFO a 1", "WARN b 2", "DEBUG c 3"), lines);
    }
}
