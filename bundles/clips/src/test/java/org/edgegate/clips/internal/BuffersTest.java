package org.edgegate.clips.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class BuffersTest {
    private static RuleSettings rule(String id, List<String> cameras, int before, long bufferBytes) {
        return new RuleSettings(id, Condition.parse("a > 1"), cameras, before, 1, 0, bufferBytes, 1 << 30, 0);
    }

    @Test
    public void ringsTakeTheLargestRuleAndShareTheHeapBudget() {
        Buffers b = new Buffers(1000);
        b.resize(List.of(rule("x", List.of("c0"), 2, 800), rule("y", List.of(), 5, 100)));
        assertEquals(5000 + Buffers.SLACK_MS, b.bounds("c0")[0]);
        assertEquals(800, b.bounds("c0")[1]);
        assertEquals(100, b.bounds("c9")[1]); // every camera, through the rule without a list
        for (int i = 0; i < 50; i++) {
            b.add("c0", i, i * 40L, 4, 4, new byte[100]);
        }
        assertTrue(b.lines().get(0), b.lines().get(0).startsWith("c0: 8 frames"));
        b.add("c1", 0, 0, 4, 4, new byte[100]);
        // two rings now: each at most half of the 1000-byte budget
        assertTrue(b.lines().get(0), b.lines().get(0).startsWith("c0: 5 frames"));
        assertEquals(5, b.preroll(List.of("c0", "c1", "c2"), 0).get("c0").size());
        assertEquals(0, b.preroll(List.of("c0", "c1", "c2"), 0).get("c2").size());
        b.resize(List.of());
        assertTrue(b.lines().isEmpty());
    }
}
