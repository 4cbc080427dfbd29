package org.edgegate.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class SubcommandsTest {
    static final String ADD = "add <id> <port> [<baud>] - add a thing";
    static final String SEND = "send <id> <text...> - send words";
    static final String LIST = "list - list things";

    private final Subcommands cmds = new Subcommands("gw:thing")
            .on(ADD, a -> "add " + a + " baud " + Subcommands.intArg(a, 2, "baud"))
            .on(SEND, a -> "send " + a)
            .on(LIST, a -> "list " + a);

    @Test
    public void bindsBySpecAndAnswersHelp() throws Exception {
        assertEquals("add [a, p] baud null", cmds.run("add", "a", "p"));
        assertEquals("add [a, p, 9600] baud 9600", cmds.run("add", "a", "p", "9600"));
        assertEquals("send [a, x, y, z]", cmds.run("send", "a", "x", "y", "z"));
        assertEquals("list []", cmds.run("list"));
        String help = String.valueOf(cmds.run("--help"));
        assertTrue(help, help.contains("gw:thing add <id> <port> [<baud>]") && help.contains("    add a thing")
                && help.contains("gw:thing send <id> <text...>") && help.contains("gw:thing list"));
        assertEquals(help, cmds.run());
        String addHelp = String.valueOf(cmds.run("add", "--help"));
        assertTrue(addHelp, addHelp.startsWith("gw:thing add <id> <port> [<baud>]") && !addHelp.contains("send"));
    }

    @Test
    public void wrongArgumentsFailWithTheUsage() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> cmds.run("add", "a"));
        assertTrue(few.getMessage(), few.getMessage().contains("wrong arguments; usage:")
                && few.getMessage().contains("gw:thing add <id> <port>"));
        assertThrows(IllegalArgumentException.class, () -> cmds.run("add", "a", "b", "1", "2"));
        assertThrows(IllegalArgumentException.class, () -> cmds.run("send", "a"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> cmds.run("zap"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("unknown subcommand 'zap'"));
        IllegalArgumentException baud = assertThrows(IllegalArgumentException.class,
                () -> Subcommands.intArg(List.of("a", "b", "fast"), 2, "baud"));
        assertEquals("baud must be a whole number, got 'fast'", baud.getMessage());
    }
}
