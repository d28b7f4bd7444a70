// The settings panels: one form per part of the guard. A change is applied at once; a setting
// the part refuses is shown next to the form, and the part keeps its previous settings.
const read = (input) => (input.type === 'number' || input.type === 'range' ? Number(input.value) : input.value);
const values = (form) => Object.fromEntries([...form.elements].filter((i) => i.name).map((i) => [i.name, read(i)]));

/** `apply(section, values)` applies a section's values (throwing if they are refused). */
export function createSettings(forms, apply) {
  // The refusal's text, or '' when applied.
  function submit(form) {
    let refusal = '';
    try {
      apply(form.dataset.section, values(form));
    } catch (error) {
      refusal = error.code ? `${error.code}: ${error.message}` : error.message;
    }
    form.querySelector('.form-error').textContent = refusal;
    form.classList.toggle('bad', refusal !== '');
    return refusal;
  }
  for (const form of forms) {
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('change', () => submit(form));
  }
  return {
    initial: Object.fromEntries(forms.map((f) => [f.dataset.section, values(f)])),
    /** Sets inputs as the user would and applies them; returns the refusal's text, or ''. */
    set(section, update) {
      const form = forms.find((f) => f.dataset.section === section);
      for (const [name, value] of Object.entries(update)) form.elements[name].value = value;
      return submit(form);
    },
  };
}
