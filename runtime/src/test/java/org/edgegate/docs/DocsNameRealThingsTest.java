package org.edgegate.docs;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * What README.md and docs/ name exists: every test class ({@code FooTest}, {@code FooIT}) is a source file of
 * the tree, every {@code gw:} command is a function some bundle registers, every {@code org.edgegate.*.cfg}
 * file name is of a PID in the configuration reference. A doc that cites a test nobody can run, or a
 * command or file that does nothing, fails the build.
 */
public class DocsNameRealThingsTest {
    private static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();
    private static final Pattern TEST_CLASS = Pattern.compile("\\b[A-Z][a-z][A-Za-z0-9]*(?:Test|IT)\\b");
    private static final Pattern COMMAND = Pattern.compile("\\bgw:([a-z][a-z0-9-]*)");
    private static final Pattern FUNCTION = Pattern.compile("osgi\\.command\\.function=([a-zA-Z0-9-]+)");
    private static final Pattern CFG = Pattern.compile("\\b(org\\.edgegate(?:\\.[a-z][a-zA-Z0-9]*)+)(?:-[^\\s.`/]+)?\\.cfg\\b");
    private static final Pattern PID = Pattern.compile("(?m)^(?:Factory )?PID `([^`]+)`");

    @Test
    public void everyTestClassADocNamesExists() throws Exception {
        Set<String> sources = new TreeSet<>();
        for (Path f : files(ROOT, p -> p.toString().endsWith(".java"))) {
            String name = f.getFileName().toString();
            sources.add(name.substring(0, name.length() - ".java".length()));
        }
        assertTrue("no test sources found under " + ROOT, sources.contains("ConfigurationReferenceTest"));
        List<String> missing = cited(TEST_CLASS, 0, name -> !sources.contains(name));
        assertTrue("docs cite test classes that do not exist (rename or remove the citation):\n  "
                + String.join("\n  ", missing), missing.isEmpty());
    }

    @Test
    public void everyGogoCommandADocNamesIsRegistered() throws Exception {
        Set<String> functions = new TreeSet<>();
        for (Path f : files(ROOT.resolve("bundles"), p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))) {
            Matcher m = FUNCTION.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                functions.add(m.group(1));
            }
        }
        assertTrue("no osgi.command.function found under bundles/: " + functions, functions.contains("status"));
        List<String> missing = cited(COMMAND, 1, name -> !functions.contains(name));
        assertTrue("docs name gw: commands no bundle registers (registered: " + functions + "):\n  "
                + String.join("\n  ", missing), missing.isEmpty());
    }

    @Test
    public void everyConfigurationFileADocNamesIsOfAKnownPid() throws Exception {
        Set<String> pids = new TreeSet<>();
        Matcher m = PID.matcher(Files.readString(ROOT.resolve("docs/configuration.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            pids.add(m.group(1));
        }
        assertTrue("no PIDs in docs/configuration.md: " + pids, pids.contains("org.edgegate.camera"));
        List<String> missing = cited(CFG, 1, pid -> !pids.contains(pid));
        assertTrue("docs name configuration files of PIDs that do not exist (see docs/configuration.md):\n  "
                + String.join("\n  ", missing), missing.isEmpty());
    }

    /** "doc:line: name" for every match (its group) in README.md and docs/ that {@code bad} accepts. */
    private static List<String> cited(Pattern pattern, int group, Predicate<String> bad) throws IOException {
        List<Path> docs = new ArrayList<>(files(ROOT.resolve("docs"), p -> p.toString().endsWith(".md")));
        docs.add(ROOT.resolve("README.md"));
        List<String> found = new ArrayList<>();
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = pattern.matcher(lines.get(i));
                while (m.find()) {
                    if (bad.test(m.group(group))) {
                        found.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        return found;
    }

    /** Regular files under a folder, leaving out build output, VCS data and downloaded modules. */
    private static List<Path> files(Path folder, Predicate<Path> wanted) {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).filter(p -> {
                for (Path part : folder.relativize(p)) {
                    String s = part.toString();
                    if (s.equals("target") || s.equals(".git") || s.equals("node_modules")) {
                        return false;
                    }
                }
                return true;
            }).filter(wanted).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
