package org.edgegate.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.edgegate.mqtt.internal.journal.Journal;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The history path alone: replay paced by {@code replay.rate} and resumed where the window refused, readings sent
 * straight copied into the journal when the link goes, commits in order, a reading too large for a segment
 * dropped and counted.
 */
public class HistoryPathTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final AtomicLong dropped = new AtomicLong();
    private final List<Outbound> sent = new ArrayList<>();
    private Journal journal;
    private MqttSettings settings;
    private HistoryPath history;
    private Link link;
    /** How many more publishes the "client" takes before its window is full. */
    private int room = Integer.MAX_VALUE;

    private final HistoryPath.Publisher publisher = (c, o) -> {
        if (room <= 0) {
            return false;
        }
        room--;
        sent.add(o);
        return true;
    };

    private void open(Object... keysAndValues) throws Exception {
        Object[] all = new Object[keysAndValues.length + 2];
        all[0] = "id";
        all[1] = "h";
        System.arraycopy(keysAndValues, 0, all, 2, keysAndValues.length);
        settings = Configurations.settings(folder.getRoot().toPath(), all);
        journal = new Journal(folder.getRoot().toPath().resolve("journal"), settings.journalMaxBytes(), 1000);
        history = new HistoryPath(journal, settings, dropped);
        link = new Link(new ScriptedClient.Factory(), settings, settings.uris().get(0), (t, p) -> { }, () -> { });
    }

    @After
    public void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }

    private void journal(int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            journal.append("t", ("r" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(Outbound o) {
        return new String(o.payload, StandardCharsets.UTF_8);
    }

    private List<String> sentTexts() {
        return sent.stream().map(HistoryPathTest::text).toList();
    }

    @Test
    public void replayNeverRunsAheadOfItsRate() throws Exception {
        open("replay.rate", 100);
        journal(0, 1000);
        long start = System.nanoTime();
        history.connected();
        while (sent.size() < 60 && System.nanoTime() - start < 20_000_000_000L) {
            history.replay(link, publisher);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // a bucket of rate/10 + 1 at once, then `rate` a second: an upper bound (a slow machine only lowers it)
        assertTrue(sent.size() + " replayed in " + seconds + " s at replay.rate 100",
                sent.size() <= 11 + 100 * seconds + 1);
        assertTrue("replay moves: " + sent.size(), sent.size() >= 60);
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("in order", "r" + i, text(sent.get(i)));
        }
    }

    @Test
    public void aFullWindowResumesWithTheRecordItRefused() throws Exception {
        open("replay.rate", 65535);
        journal(0, 10);
        history.connected();
        room = 4;
        // tokens accrue from connected(): a call within microseconds of it may send fewer than the window takes
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sent.size() < 4 && System.nanoTime() < deadline) {
            history.replay(link, publisher);
        }
        history.replay(link, publisher);
        assertEquals(List.of("r0", "r1", "r2", "r3"), sentTexts());
        room = Integer.MAX_VALUE;
        while (sent.size() < 10 && System.nanoTime() < deadline) {
            history.replay(link, publisher);
        }
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"), sentTexts());
    }

    @Test
    public void commitsOnlyUpToTheFirstUnacknowledged() throws Exception {
        open("replay.rate", 65535);
        journal(0, 5);
        history.connected();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sent.size() < 5 && System.nanoTime() < deadline) {
            history.replay(link, publisher);
        }
        sent.get(0).acked = true;
        sent.get(1).acked = true;
        sent.get(3).acked = true; // out of order: r2 still open
        history.commitAcknowledged();
        assertEquals(2, history.replayed());
        assertEquals(3, journal.pending());
        assertTrue(history.backlog());
        sent.get(2).acked = true;
        sent.get(4).acked = true;
        history.commitAcknowledged();
        assertEquals(5, history.replayed());
        assertFalse(history.backlog());
    }

    @Test
    public void sentStraightAndUnacknowledgedIsJournaledWhenTheLinkGoes() throws Exception {
        open();
        List<Outbound> straight = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Outbound o = Outbound.history("t", ("s" + i).getBytes(StandardCharsets.UTF_8), 1);
            straight.add(o);
            assertTrue(history.sendStraight(link, o, publisher));
        }
        straight.get(0).acked = true;
        straight.get(2).acked = true;
        room = 0;
        Outbound refused = Outbound.history("t", "s4".getBytes(StandardCharsets.UTF_8), 1);
        assertFalse("a full client window sends nothing", history.sendStraight(link, refused, publisher));
        history.lost();
        history.lost(); // twice: journaled once
        assertEquals(2, journal.pending());
        assertEquals("s1", new String(journal.next().payload(), StandardCharsets.UTF_8));
        assertEquals("s3", new String(journal.next().payload(), StandardCharsets.UTF_8));
        history.prune();
    }

    @Test
    public void aReadingTooLargeForASegmentIsDroppedAndCounted() throws Exception {
        open("journal.maxMiB", 1); // segments of 128 KiB (an eighth)
        history.append(Outbound.history("t", new byte[200 * 1024], 1));
        assertEquals(1, dropped.get());
        assertEquals(0, journal.pending());
        history.append(Outbound.history("t", new byte[100], 1));
        assertEquals(1, journal.pending());
    }
}
