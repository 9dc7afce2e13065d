/* model — ownership helpers of the normalized records. */
#include "model.h"

#include <stdlib.h>

void model_candidate_free(model_candidate *c)
{
  if (c) {
    free(c->text);
    c->text = NULL;
  }
}

void model_job_free(model_job *j)
{
  if (j) {
    free(j->text);
    j->text = NULL;
  }
}
