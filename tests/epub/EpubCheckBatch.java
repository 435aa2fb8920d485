import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;

/** EPUBCheck for many books in one JVM: each line on standard input names a book and the JSON report to write
 *  (tab between); each book answers with one line "done <exit code>" on the original standard output. */
public class EpubCheckBatch {
    public static void main(String[] args) throws Exception {
        PrintStream answers = System.out;
        // EPUBCheck's own console output goes to standard error, so that only answers reach standard output.
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split("\t");
            int code = new EpubChecker().run(new String[] {parts[0], "--json", parts[1], "--quiet"});
            answers.println("done " + code);
            answers.flush();
        }
    }
}
