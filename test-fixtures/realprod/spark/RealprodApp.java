// A Spark application that only holds a SparkContext open, so that its UI answers on 4040 (spark.sh
// runs it with java's single-file source launcher). Local master: it connects to nothing.
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

public class RealprodApp {
    public static void main(String[] args) throws Exception {
        SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("aiscan-realprod")
                .set("spark.ui.port", "4040").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            System.out.println("realprod app: " + sc.sc().uiWebUrl().getOrElse(() -> "no UI") + " version " + sc.version());
            sc.parallelize(java.util.List.of(1, 2, 3)).count();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
