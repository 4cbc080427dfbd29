package org.edgegate.etc.internal;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CfgSyncTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private final CfgSync sync = new CfgSync(new CfgFile((name, key, variable) -> null, StandardCharsets.ISO_8859_1));

    private static Map<String, Object> configuration(Path file, String greeting) {
        Map<String, Object> p = new HashMap<>();
        p.put("greeting", greeting);
        p.put("service.pid", "sample");
        p.put("felix.fileinstall.filename", file.toUri().toString());
        return p;
    }

    @Test
    public void aChangeMadeElsewhereGoesToTheFileButAnEditOfTheFileIsNeverOverwritten() throws Exception {
        Path file = dir.getRoot().toPath().resolve("sample.cfg");
        Files.writeString(file, "greeting = hello\n");
        // File Install made the configuration from the file
        assertEquals(CfgSync.Outcome.IN_SYNC, sync.updated("sample", file, configuration(file, "hello"), view -> { }));
        // a Web Console change: written back
        assertEquals(CfgSync.Outcome.WRITTEN, sync.updated("sample", file, configuration(file, "hallo"), view -> { }));
        assertEquals("greeting = hallo\n", Files.readString(file));
        // File Install applies an edit of the file, and the user edits it again before that update reaches us:
        // the newest edit stays in the file (File Install applies it next)
        Files.writeString(file, "greeting = bonjour\n");
        Files.writeString(file, "greeting = salut\n");
        assertEquals(CfgSync.Outcome.FILE_NEWER, sync.updated("sample", file, configuration(file, "bonjour"), view -> { }));
        assertEquals("greeting = salut\n", Files.readString(file));
        assertEquals(CfgSync.Outcome.IN_SYNC, sync.updated("sample", file, configuration(file, "salut"), view -> { }));
    }

    @Test
    public void aConfigurationReadFromAHalfWrittenFileDoesNotEmptyIt() throws Exception {
        Path file = dir.getRoot().toPath().resolve("sample.cfg");
        Files.writeString(file, "greeting = hello\n");
        Map<String, Object> empty = configuration(file, "x");
        empty.remove("greeting");
        assertEquals(CfgSync.Outcome.FILE_NEWER, sync.updated("sample", file, empty, view -> { }));
        assertEquals("greeting = hello\n", Files.readString(file));
    }

    @Test
    public void aConfigurationMadeBeforeWritingBackStartedIsWrittenWhenChangedElsewhere() throws Exception {
        Path file = dir.getRoot().toPath().resolve("sample.cfg");
        Files.writeString(file, "greeting = hello\n");
        sync.known("sample", file);
        assertEquals(CfgSync.Outcome.WRITTEN, sync.updated("sample", file, configuration(file, "hallo"), view -> { }));
        assertEquals("greeting = hallo\n", Files.readString(file));
    }

    @Test
    public void anUpdateFileInstallMadeFromAnOlderReadOfTheFileIsNotWrittenOverIt() throws Exception {
        Path file = dir.getRoot().toPath().resolve("sample.cfg");
        Files.writeString(file, "greeting = hello\n");
        assertEquals(CfgSync.Outcome.IN_SYNC, sync.updated("sample", file, configuration(file, "hello"), true, view -> { }));
        // a change made elsewhere is written; File Install, which read "hello" before, applies that meanwhile
        assertEquals(CfgSync.Outcome.WRITTEN, sync.updated("sample", file, configuration(file, "hallo"), view -> { }));
        assertEquals(CfgSync.Outcome.READ_BEFORE, sync.updated("sample", file, configuration(file, "hello"), true, view -> { }));
        assertEquals("the newer text stays (File Install reads it again)", "greeting = hallo\n", Files.readString(file));
        // File Install applies the file as it is now: in step again, and a later change is written
        assertEquals(CfgSync.Outcome.IN_SYNC, sync.updated("sample", file, configuration(file, "hallo"), true, view -> { }));
        assertEquals(CfgSync.Outcome.WRITTEN, sync.updated("sample", file, configuration(file, "hej"), view -> { }));
    }
}
