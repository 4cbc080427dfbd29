package org.edgegate.it;

import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** The log file gets OSGi Log entries and SLF4J output, at or above the level set in etc/. */
@ExamReactorStrategy(PerClass.class)
public class LoggingIT extends GatewayTestSupport {

    @Test
    public void osgiAndSlf4jEntriesReachTheLogFileAtTheConfiguredLevel() throws Exception {
        Path file = home().resolve("data/log/edgegate.log");
        Logger osgi = awaitService(LoggerFactory.class).getLogger("it.osgi");
        osgi.debug("below the level {}", 1);
        osgi.info("osgi entry {}", 2);
        org.slf4j.LoggerFactory.getLogger("it.slf4j").warn("slf4j entry {} with {} braces", 3, "{}");

        await("both entries in " + file, DEFAULT_TIMEOUT,
                () -> read(file).contains("it.osgi: osgi entry 2")
                        && read(file).contains("it.slf4j: slf4j entry 3 with {} braces"));
        assertFalse("ROOT=INFO drops debug entries", read(file).contains("below the level"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
