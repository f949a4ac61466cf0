// Glue 5 entry script of the daily-rollup job (job type glueetl, --job-language scala).
//
// The job is Java and ships in the -glue jar passed with --extra-jars. The stack sets
// --class io.twinflow.glue.DailyRollupJob, so Glue starts the job's own main class; Glue still needs
// a script to compile for a Scala job, and this one delegates to the same main, so leaving --class
// at Glue's default (GlueApp) runs the same job rather than failing.
object GlueApp {
  def main(sysArgs: Array[String]): Unit = io.twinflow.glue.DailyRollupJob.main(sysArgs)
}
