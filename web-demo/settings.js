// The settings panels: one form per part of the guard. A change is applied at once; a setting
// the part refuses is shown next to the form, and the part keeps its previous settings.
const read = (input) => (input.type === 'number' || input.type === 'range' ? Number(input.value) : input.value);

/** `apply(section, values)` applies a section's values (throwing if they are refused). */
export function createSettings(forms, apply) {
  const values = (form) => Object.fromEntries([...form.elements].filter((i) => i.name).map((i) => [i.name, read(i)]));
  for (const form of forms) {
    const message = form.querySelector('.form-error');
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('change', () => {
      try {
        apply(form.dataset.section, values(form));
        message.textContent = '';
        form.classList.remove('bad');
      } catch (error) {
        message.textContent = error.code ? `${error.code}: ${error.message}` : error.message;
        form.classList.add('bad');
      }
    });
  }
  return {
    initial: Object.fromEntries(forms.map((f) => [f.dataset.section, values(f)])),
    /** Sets inputs (as the user would) and applies them; throws what the part refused. */
    set(section, update) {
      const form = forms.find((f) => f.dataset.section === section);
      for (const [name, value] of Object.entries(update)) form.elements[name].value = value;
      apply(section, values(form));
    },
  };
}
