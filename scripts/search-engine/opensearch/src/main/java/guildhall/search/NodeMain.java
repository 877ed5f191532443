package guildhall.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.opensearch.common.settings.Settings;

/** What both node launchers share: key=value arguments, a PID file, start, and stop on SIGTERM. */
final class NodeMain {

    interface Action {
        void run() throws Exception;
    }

    private NodeMain() {}

    static Settings parseSettings(String[] args) {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return builder.build();
    }

    static void run(Action start, Action close, String product, Settings settings) throws Exception {
        String pidFile = System.getProperty("guildhall.pidfile");
        String pid = Long.toString(ProcessHandle.current().pid());
        if (pidFile != null) {
            Files.writeString(Paths.get(pidFile), pid + "\n");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                close.run();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                if (pidFile != null) {
                    try {
                        Path path = Paths.get(pidFile);
                        if (Files.exists(path) && Files.readString(path).trim().equals(pid)) {
                            Files.delete(path);
                        }
                    } catch (Exception ignored) {
                        // best effort
                    }
                }
                stopped.countDown();
            }
        }, "shutdown"));
        try {
            start.run();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println(product + " node started on http://" + settings.get("network.host", "127.0.0.1")
            + ":" + settings.get("http.port", "9200") + " (pid " + pid + ")");
        // start() returns once the node is up; a non-daemon thread keeps the JVM alive until SIGTERM.
        Thread keepAlive = new Thread(() -> {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "keep-alive");
        keepAlive.start();
    }
}
